package io.marty.observability.cli;

import io.marty.observability.slo.DefaultSlos;
import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloLoader;
import io.marty.observability.slo.SloSpecException;
import io.marty.observability.slo.SloWarning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code marty slo}: groups the SLO tools. */
@Command(
        name = "slo",
        description = "Generate, check and report SLOs.",
        mixinStandardHelpOptions = true,
        subcommands = {SloGenerateCommand.class, SloCheckCommand.class, SloReportCommand.class})
final class SloCommand {

    /** Options shared by the subcommands: where the SLOs come from. */
    static final class Specs {
        @Option(
                names = {"-f", "--file"},
                paramLabel = "SPEC",
                description = "SLO spec file (native form or OpenSLO v1); repeatable.")
        List<Path> files = new ArrayList<>();

        @Option(
                names = "--defaults-for",
                paramLabel = "SERVICE",
                description = "Add the default SLOs (99.9% availability/30d, 95% under 500ms/7d, 99% success/7d)"
                        + " for SERVICE; repeatable.")
        List<String> defaultsFor = new ArrayList<>();

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        /** Spec files that define no SLO (each reported on stderr by {@link #load()}). */
        final List<Path> emptyFiles = new ArrayList<>();

        /**
         * Loads the SLOs. Each file must be readable UTF-8 text (else a one-line {@link
         * CliInput.InputException}); a file without SLOs is reported on stderr and kept in {@link
         * #emptyFiles}.
         */
        List<Slo> load() {
            if (files.isEmpty() && defaultsFor.isEmpty()) {
                throw new SloSpecException(null, 0, null, "no SLOs: give --file SPEC or --defaults-for SERVICE", null);
            }
            for (Path f : files) {
                if (SloLoader.parse(CliInput.readText(f), f.toString()).isEmpty()) {
                    emptyFiles.add(f);
                    err().println(command.qualifiedName() + ": warning: " + f + ": no SLOs in this file");
                }
            }
            List<Slo> slos = new ArrayList<>(SloLoader.load(files));
            for (String s : defaultsFor) {
                slos.addAll(DefaultSlos.forService(s));
            }
            return slos;
        }

        /** As {@link #load()}, printing a spec or input error to stderr and returning null. */
        @Nullable
        List<Slo> loadOrNull() {
            try {
                return load();
            } catch (SloSpecException | CliInput.InputException e) {
                err().println(command.qualifiedName() + ": " + e.getMessage());
                return null;
            }
        }

        /** The command's stdout. */
        PrintWriter out() {
            return command.commandLine().getOut();
        }

        /** The command's stderr. */
        PrintWriter err() {
            return command.commandLine().getErr();
        }

        static List<SloWarning> warnings(List<Slo> slos) {
            List<SloWarning> out = new ArrayList<>();
            slos.forEach(s -> out.addAll(s.warnings()));
            return out;
        }
    }
}
