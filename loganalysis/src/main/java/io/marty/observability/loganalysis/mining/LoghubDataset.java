package io.marty.observability.loganalysis.mining;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Loghub {@code *_structured[_corrected].csv} file: the {@code Content} column (what a parser
 * is fed) and the ground-truth {@code EventTemplate} of each line.
 *
 * @param name the file name
 * @param contents message of each line, in file order
 * @param templates ground-truth template of each line ({@code ""} when the file gives none; the
 *     scorers leave such lines out)
 */
public record LoghubDataset(String name, List<String> contents, List<String> templates) {

    /**
     * Where the Loghub-2k data is (third-party, never in the repo): {@code -Dloghub.dir}, else the
     * environment variable {@code LOGHUB_DIR}, else the first {@code shared/benchdata/loghub2k}
     * folder found in the working directory or one of its parents (so a git worktree finds the
     * data next to the main checkout). Empty when none exists.
     */
    public static Optional<Path> locate() {
        String configured = System.getProperty("loghub.dir", System.getenv("LOGHUB_DIR"));
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/benchdata/loghub2k");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a structured CSV.
     *
     * @throws IllegalArgumentException naming the file when a needed column is missing
     */
    public static LoghubDataset load(Path structuredCsv) throws IOException {
        List<List<String>> rows;
        try (Reader r = Files.newBufferedReader(structuredCsv, StandardCharsets.UTF_8)) {
            rows = TemplateCsv.read(r);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(structuredCsv + " is empty");
        }
        List<String> header = rows.get(0);
        int content = header.indexOf("Content");
        int template = header.indexOf("EventTemplate");
        if (content < 0 || template < 0) {
            throw new IllegalArgumentException(structuredCsv + " lacks a Content or EventTemplate column: " + header);
        }
        List<String> contents = new ArrayList<>(rows.size());
        List<String> templates = new ArrayList<>(rows.size());
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() <= Math.max(content, template)) {
                throw new IllegalArgumentException(structuredCsv + " row " + i + " has " + row.size() + " fields");
            }
            contents.add(row.get(content));
            templates.add(row.get(template));
        }
        return new LoghubDataset(structuredCsv.getFileName().toString(), contents, templates);
    }

    /**
     * Mines every content line with {@code miner} in order and scores the final templates (lines
     * without a ground-truth template are mined but not scored, like the reference scorers).
     */
    public ParsingAccuracy evaluate(TemplateMiner miner) {
        LineTemplates lt = new LineTemplates(miner);
        contents.forEach(lt::add);
        List<String> truth = new ArrayList<>();
        List<Long> groups = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            if (!templates.get(i).isEmpty()) {
                truth.add(templates.get(i));
                groups.add(lt.finalIdOf(i));
                predicted.add(lt.finalTemplateOf(i));
            }
        }
        return ParsingAccuracy.score(truth, groups, predicted);
    }
}
