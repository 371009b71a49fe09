package io.marty.observability.loganalysis.mining;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds lines to a {@link TemplateMiner} and remembers the template id of each line (8 bytes a
 * line), so that at the end every line can be given its FINAL template, after all merges, the way
 * batch parsers report it. For files and benchmarks; a live stream keeps ids itself.
 *
 * <pre>{@code
 * LineTemplates lt = new LineTemplates(TemplateMiner.builder().build());
 * lines.forEach(lt::add);
 * List<String> templates = lt.finalTemplates(); // one per line, in input order
 * }</pre>
 *
 * <p>Not thread-safe: one producer.
 */
public final class LineTemplates {
    private final TemplateMiner miner;
    private long[] ids = new long[1024];
    private int size;

    public LineTemplates(TemplateMiner miner) {
        this.miner = miner;
    }

    public TemplateMiner miner() {
        return miner;
    }

    /** Mines {@code line} and records its template id; returns the match. */
    public MatchResult add(String line) {
        MatchResult r = miner.add(line);
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = r.templateId();
        return r;
    }

    /** Lines recorded. */
    public int size() {
        return size;
    }

    /** Final template id of line {@code index} (0-based). */
    public long finalIdOf(int index) {
        return miner.finalIdOf(ids[checkIndex(index)]);
    }

    /**
     * Final template text of line {@code index} (0-based). When the template is no longer known
     * (evicted and out of the bounded history) it is {@code "<unknown template N>"}.
     */
    public String finalTemplateOf(int index) {
        long id = ids[checkIndex(index)];
        return miner.finalTemplateOf(id).orElse("<unknown template " + id + ">");
    }

    /** Final template of every line, in input order. */
    public List<String> finalTemplates() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(finalTemplateOf(i));
        }
        return out;
    }

    /** Writes {@code LineId,EventId,EventTemplate} (LineId from 1, EventId {@code E<id>}). */
    public void writeCsv(Appendable out) {
        TemplateCsv.writeRow(out, "LineId", "EventId", "EventTemplate");
        for (int i = 0; i < size; i++) {
            TemplateCsv.writeRow(out, Integer.toString(i + 1), "E" + finalIdOf(i), finalTemplateOf(i));
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("line index " + index + " outside 0.." + (size - 1));
        }
        return index;
    }
}
