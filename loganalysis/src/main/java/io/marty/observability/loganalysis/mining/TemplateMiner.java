package io.marty.observability.loganalysis.mining;

import io.marty.observability.loganalysis.mining.internal.Masker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online log template miner: one line at a time, memory bounded by the number of templates.
 *
 * <p>Each line is split into tokens and generic variables are masked (numbers, hex, IPs, ports,
 * times, paths, ids containing digits, key=value values, sizes with units). The masked line then
 * joins the most similar template of the same token count (Drain's idea, He et al. ICWS 2017) when
 * at least {@link Builder#similarityThreshold} of the constant tokens agree. A masked value that
 * disagrees turns that position into {@code <*>} at once; a differing <em>word</em> does so only
 * once {@link Builder#minDistinctWords} templates differ just there (few distinct words are an
 * enum such as GET/POST and stay apart; many are a variable such as a user name). When a template
 * generalises, every template it now covers merges into the oldest id and the absorbed ids resolve
 * to it ({@link #finalIdOf}). One configuration serves every log source: there are no per-source
 * regexes or thresholds. Identical masked lines skip the search (bounded exact-match cache).
 *
 * <pre>{@code
 * TemplateMiner miner = TemplateMiner.builder().maxTemplates(5_000).build();
 * MatchResult r = miner.add("Accepted password for alice from 10.0.0.1 port 2222 ssh2");
 * long id = r.templateId();          // keep it per line
 * ...
 * String last = miner.finalTemplateOf(id).orElseThrow(); // after later merges
 * }</pre>
 *
 * <p>Thread safety: all methods are safe to call from several threads; {@link #add} serialises on
 * the miner (one lock), so for more throughput shard lines over several miners by source.
 *
 * <p>Bounded memory: at most {@link Builder#maxTemplates} live templates; past that the least
 * recently matched template is evicted ({@link #evictedTemplates()} counts them) and its last text
 * stays resolvable in a bounded history. Lines longer than {@link Builder#maxTokens} tokens keep
 * their tail as one variable.
 */
public final class TemplateMiner {

    private static final int MAX_CACHED_KEY = 1024;

    private final double similarityThreshold;
    private final int minDistinctWords;
    private final int maxTemplates;
    private final int historySize;
    private final Masker masker;

    private final Map<Integer, List<Cluster>> byLength = new HashMap<>();
    /** Live templates in least-recently-matched order (access order), for eviction. */
    private final LinkedHashMap<Long, Cluster> live = new LinkedHashMap<>(64, 0.75f, true);
    /** Merged or evicted id → id it merged into (or -1 when evicted); bounded. */
    private final LinkedHashMap<Long, Long> redirects;
    /** Evicted id → its last template text; bounded. */
    private final LinkedHashMap<Long, String> retired;
    /** Masked line → template id: identical masked lines skip the similarity search; bounded. */
    private final LinkedHashMap<String, Long> exact;

    private long nextId = 1;
    private long lines;
    private long evicted;
    private long merges;
    private long forgotten;

    private TemplateMiner(Builder b) {
        this.similarityThreshold = b.similarityThreshold;
        this.minDistinctWords = b.minDistinctWords;
        this.maxTemplates = b.maxTemplates;
        this.historySize = b.historySize;
        this.masker = new Masker(b.maxTokens);
        int cacheSize = b.cacheSize;
        this.redirects = boundedMap(historySize, true);
        this.retired = boundedMap(historySize, true);
        this.exact = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > cacheSize;
            }
        };
    }

    private <V> LinkedHashMap<Long, V> boundedMap(int cap, boolean countForgotten) {
        return new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                if (size() > cap) {
                    if (countForgotten) {
                        forgotten++;
                    }
                    return true;
                }
                return false;
            }
        };
    }

    /** A builder with the defaults (the configuration the Loghub benchmark figures use). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assigns {@code line} (one log message, without header fields) to a template. Never throws for
     * any input text; {@code null} is treated as the empty line.
     */
    public synchronized MatchResult add(String line) {
        lines++;
        String[] tokens = masker.tokens(line == null ? "" : line);
        String key = String.join(" ", tokens);
        Long cached = exact.get(key);
        if (cached != null) {
            Cluster c = live.get(resolve(cached));
            if (c != null) {
                c.count++;
                return new MatchResult(c.id, c.template(), false);
            }
        }
        List<Cluster> bucket = byLength.computeIfAbsent(tokens.length, k -> new ArrayList<>());
        Cluster best = bestMatch(bucket, tokens);
        List<Cluster> siblings = null;
        if (best != null) {
            boolean[] words = wordMismatches(best.tokens, tokens);
            if (words != null) {
                siblings = siblings(bucket, best, words);
                if (siblings.size() + 2 < minDistinctWords) { // best + siblings + this line
                    // too few distinct words at that position yet: likely an enum (GET/POST,
                    // Started/Stopped), not a variable; keep it a template of its own for now
                    best = null;
                    siblings = null;
                }
            }
        }
        if (best == null) {
            Cluster c = new Cluster(nextId++, tokens);
            bucket.add(c);
            live.put(c.id, c);
            remember(key, c.id);
            evictIfNeeded();
            return new MatchResult(c.id, c.template(), true);
        }
        live.get(best.id); // touch for LRU
        best.count++;
        boolean changed = generalise(best, tokens);
        if (siblings != null) {
            for (Cluster sib : siblings) {
                generalise(sib, best.tokens);
            }
        }
        if (changed) {
            best = mergeDuplicates(bucket, best);
        }
        remember(key, best.id);
        return new MatchResult(best.id, best.template(), false);
    }

    /** Caches short masked lines only, so the cache's memory is bounded by size x length. */
    private void remember(String key, long id) {
        if (key.length() <= MAX_CACHED_KEY) {
            exact.put(key, id);
        }
    }

    /**
     * Most similar template of the same length. Similarity counts constant tokens only: the share
     * of positions holding a constant on either side where both sides hold the same constant.
     * Positions where both sides are variables say nothing and are left out, so that short lines
     * made mostly of numbers do not all fall into one template.
     */
    private Cluster bestMatch(List<Cluster> bucket, String[] tokens) {
        Cluster best = null;
        double bestSim = -1;
        int bestSame = -1;
        int n = tokens.length;
        for (Cluster c : bucket) {
            int same = 0;
            int considered = 0;
            String[] t = c.tokens;
            for (int i = 0; i < n; i++) {
                String a = t[i];
                String b = tokens[i];
                boolean wa = isWildcard(a);
                boolean wb = isWildcard(b);
                if (wa && wb) {
                    continue;
                }
                considered++;
                if (!wa && (a.equals(b) || Masker.covers(a, b) || Masker.covers(b, a))) {
                    same++;
                }
            }
            double sim = considered == 0 ? 1.0 : (double) same / considered;
            if (sim > bestSim || (sim == bestSim && same > bestSame)) {
                bestSim = sim;
                bestSame = same;
                best = c;
            }
        }
        return best != null && bestSim >= similarityThreshold ? best : null;
    }

    private static boolean isWildcard(String token) {
        return token == Masker.WILDCARD || token.equals(Masker.WILDCARD);
    }

    /** Turns positions where {@code tokens} disagrees into wildcards; true if the template changed. */
    private static boolean generalise(Cluster c, String[] tokens) {
        String[] t = c.tokens;
        String[] updated = null;
        for (int i = 0; i < t.length; i++) {
            if (t[i].equals(tokens[i]) || isWildcard(t[i]) || Masker.covers(t[i], tokens[i])) {
                continue;
            }
            if (updated == null) {
                updated = t.clone();
            }
            // the line's token may itself be the more general pattern (<*>:<*> over wpad:<*>)
            updated[i] = Masker.covers(tokens[i], t[i]) ? tokens[i] : Masker.WILDCARD;
        }
        if (updated == null) {
            return false;
        }
        c.tokens = updated;
        c.text = null;
        return true;
    }

    /** True when every line of {@code specific} also fits {@code general}. */
    private static boolean subsumes(String[] general, String[] specific) {
        for (int i = 0; i < general.length; i++) {
            if (!general[i].equals(specific[i]) && !isWildcard(general[i]) && !Masker.covers(general[i], specific[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Merges every template that {@code changed} now covers (equal, or more specific) into the
     * oldest of them, which takes {@code changed}'s tokens; returns the survivor.
     */
    private Cluster mergeDuplicates(List<Cluster> bucket, Cluster changed) {
        Cluster keep = changed;
        List<Cluster> equal = null;
        for (Cluster other : bucket) {
            if (other != changed && subsumes(changed.tokens, other.tokens)) {
                if (equal == null) {
                    equal = new ArrayList<>();
                }
                equal.add(other);
                if (other.id < keep.id) {
                    keep = other; // the oldest id survives so that ids seen first stay canonical
                }
            }
        }
        if (equal == null) {
            return changed;
        }
        equal.add(changed);
        for (Cluster drop : equal) {
            if (drop != keep) {
                keep.count += drop.count;
                redirects.put(drop.id, keep.id);
                live.remove(drop.id);
                bucket.remove(drop);
                merges++;
            }
        }
        keep.tokens = changed.tokens;
        keep.text = null;
        return keep;
    }

    /** Positions where both hold a different constant (a word, not a masked value); null if none. */
    private static boolean[] wordMismatches(String[] template, String[] tokens) {
        boolean[] out = null;
        for (int i = 0; i < template.length; i++) {
            String a = template[i];
            String b = tokens[i];
            if (!isWildcard(a) && !isWildcard(b) && !a.equals(b) && !Masker.covers(a, b) && !Masker.covers(b, a)) {
                if (out == null) {
                    out = new boolean[template.length];
                }
                out[i] = true;
            }
        }
        return out;
    }

    /** Templates equal to {@code best} everywhere except at {@code positions}, where they hold words. */
    private static List<Cluster> siblings(List<Cluster> bucket, Cluster best, boolean[] positions) {
        List<Cluster> out = new ArrayList<>();
        for (Cluster d : bucket) {
            if (d == best) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < positions.length && ok; i++) {
                ok = positions[i] ? !isWildcard(d.tokens[i]) : d.tokens[i].equals(best.tokens[i]);
            }
            if (ok) {
                out.add(d);
            }
        }
        return out;
    }

    private void evictIfNeeded() {
        while (live.size() > maxTemplates) {
            Iterator<Map.Entry<Long, Cluster>> it = live.entrySet().iterator();
            Cluster victim = it.next().getValue();
            it.remove();
            byLength.get(victim.tokens.length).remove(victim);
            retired.put(victim.id, victim.template());
            evicted++;
        }
    }

    private long resolve(long id) {
        long cur = id;
        for (int hops = 0; hops < 64; hops++) { // merge chains are short; the bound guards cycles
            Long next = redirects.get(cur);
            if (next == null) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    /** The id that {@code templateId} now lives under (itself unless it was merged). */
    public synchronized long finalIdOf(long templateId) {
        return resolve(templateId);
    }

    /**
     * The current text of the template {@code templateId} ended up in, following merges; for an
     * evicted template its last text. Empty when the id is unknown or fell out of the bounded
     * history.
     */
    public synchronized Optional<String> finalTemplateOf(long templateId) {
        long id = resolve(templateId);
        Cluster c = live.get(id);
        if (c != null) {
            return Optional.of(c.template());
        }
        return Optional.ofNullable(retired.get(id));
    }

    /** Snapshot of the live templates, most frequent first. */
    public synchronized List<LogTemplate> templates() {
        List<LogTemplate> out = new ArrayList<>(live.size());
        for (Cluster c : live.values()) {
            out.add(new LogTemplate(c.id, c.template(), c.count));
        }
        out.sort(Comparator.comparingLong(LogTemplate::count).reversed().thenComparingLong(LogTemplate::id));
        return out;
    }

    /** Number of live templates. */
    public synchronized int templateCount() {
        return live.size();
    }

    /** Lines passed to {@link #add}. */
    public synchronized long lineCount() {
        return lines;
    }

    /** Templates dropped because {@link Builder#maxTemplates} was reached. */
    public synchronized long evictedTemplates() {
        return evicted;
    }

    /** Templates absorbed by another one as evidence grew. */
    public synchronized long mergedTemplates() {
        return merges;
    }

    /** Merge/eviction history entries dropped because the history is bounded. */
    public synchronized long forgottenHistory() {
        return forgotten;
    }

    private static final class Cluster {
        final long id;
        String[] tokens;
        String text;
        long count = 1;

        Cluster(long id, String[] tokens) {
            this.id = id;
            this.tokens = tokens;
        }

        String template() {
            String t = text;
            if (t == null) {
                t = String.join(" ", tokens);
                text = t;
            }
            return t;
        }
    }

    /** Configuration of a {@link TemplateMiner}; every setting is validated when set. */
    public static final class Builder {
        private double similarityThreshold = 0.7;
        private int minDistinctWords = 4;
        private int maxTemplates = 10_000;
        private int maxTokens = 256;
        private int historySize = 100_000;
        private int cacheSize = 4_096;

        private Builder() {}

        /**
         * Share (0..1] of constant tokens that must agree for a line to join a template (positions
         * where both sides are variables do not count). Default 0.7.
         */
        public Builder similarityThreshold(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("similarityThreshold must be in (0, 1], got " + value);
            }
            this.similarityThreshold = value;
            return this;
        }

        /**
         * How many different words a position must show before it becomes a variable. Below it,
         * lines that differ in one word stay apart ({@code GET}/{@code POST}, {@code
         * Started}/{@code Stopped}/{@code Paused}); masked values (numbers, ids...) never need it.
         * Default 4.
         */
        public Builder minDistinctWords(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("minDistinctWords must be >= 2, got " + value);
            }
            this.minDistinctWords = value;
            return this;
        }

        /** Cap on live templates; the least recently matched is evicted past it. Default 10000. */
        public Builder maxTemplates(int value) {
            this.maxTemplates = positive("maxTemplates", value);
            return this;
        }

        /** Tokens kept per line; the rest of a longer line becomes one {@code <*>}. Default 256. */
        public Builder maxTokens(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("maxTokens must be >= 2, got " + value);
            }
            this.maxTokens = value;
            return this;
        }

        /** Merge/eviction entries kept so old ids stay resolvable. Default 100000. */
        public Builder historySize(int value) {
            this.historySize = positive("historySize", value);
            return this;
        }

        /** Masked lines remembered for the exact-match fast path. Default 4096. */
        public Builder cacheSize(int value) {
            this.cacheSize = positive("cacheSize", value);
            return this;
        }

        public TemplateMiner build() {
            return new TemplateMiner(this);
        }

        private static int positive(String key, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(key + " must be > 0, got " + value);
            }
            return value;
        }
    }
}
