package io.marty.observability.cli;

import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloRuleGenerator;
import io.marty.observability.slo.SloRuleTestGenerator;
import io.marty.observability.slo.SloWarning;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code marty slo check}: validates specs and, when promtool is installed, the generated rules. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Validate SLO specs (errors name file, line and field; warnings e.g. for latency thresholds that are"
                    + " not histogram bucket bounds). With promtool on PATH, also run 'promtool check rules' and"
                    + " 'promtool test rules' on the generated rules.",
            "Exit codes: 0 ok; 1 warnings with --strict, a spec file without SLOs, or a promtool failure; 2 an"
                    + " invalid or unreadable spec."
        })
final class SloCheckCommand implements Callable<Integer> {
    @Mixin
    SloCommand.Specs specs = new SloCommand.Specs();

    @Option(names = "--strict", description = "Treat warnings as errors.")
    boolean strict;

    @Option(names = "--no-promtool", description = "Skip the promtool checks.")
    boolean noPromtool;

    @Override
    public Integer call() throws Exception {
        List<Slo> slos = specs.loadOrNull();
        if (slos == null) {
            return 2;
        }
        for (Slo s : slos) {
            specs.out().println("ok: " + s + "; alerts: " + s.alertPolicy());
        }
        List<SloWarning> warnings = SloCommand.Specs.warnings(slos);
        warnings.forEach(specs.err()::println);
        // a spec file without SLOs checks nothing: most likely the wrong file, so the check fails
        int rc = (strict && !warnings.isEmpty()) || !specs.emptyFiles.isEmpty() ? 1 : 0;
        Path promtool = noPromtool ? null : onPath("promtool");
        if (promtool == null) {
            if (!noPromtool) {
                specs.err().println("promtool not found on PATH: generated rules not checked");
            }
            return rc;
        }
        Path dir = Files.createTempDirectory("marty-slo-check");
        try {
            Files.writeString(dir.resolve("slo.rules.yml"), SloRuleGenerator.rules(slos));
            Files.writeString(dir.resolve("slo.rules.test.yml"), SloRuleTestGenerator.generate(slos, "slo.rules.yml"));
            if (run(dir, promtool.toString(), "check", "rules", "--lint-fatal", "slo.rules.yml") != 0
                    || run(dir, promtool.toString(), "test", "rules", "slo.rules.test.yml") != 0) {
                return 1;
            }
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
        return rc;
    }

    private static int run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            System.err.println(String.join(" ", cmd) + ": timed out");
            return 1;
        }
        return p.exitValue();
    }

    static @Nullable Path onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
