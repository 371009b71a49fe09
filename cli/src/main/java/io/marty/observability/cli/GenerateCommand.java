package io.marty.observability.cli;

import io.marty.observability.cli.CliInput.InputException;
import io.marty.observability.cli.ServiceGenerator.GeneratedFile;
import io.marty.observability.cli.ServiceGenerator.Request;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code marty generate}: new projects with observability wired in. */
@Command(
        name = "generate",
        description = "Generate a new service with Marty Observability wired in.",
        mixinStandardHelpOptions = true,
        subcommands = {GenerateCommand.Service.class})
final class GenerateCommand {

    /** {@code marty generate service}. */
    @Command(
            name = "service",
            mixinStandardHelpOptions = true,
            description = {
                "Create a Maven project for a new service: correlation, tracing, RED metrics, JSON logs with"
                        + " masking, /health/live, /health/ready and /metrics wired in; an example endpoint or RPC"
                        + " and an outgoing call; slo/, logback.xml, Dockerfile, Kubernetes manifests and a README."
                        + " It builds with `mvn verify` once the Marty modules are in the local Maven repository"
                        + " (`mvn install` in the Marty checkout).",
                "",
                "Examples:",
                "  marty generate service --type http --name orders",
                "  marty generate service --type grpc --name payments --group io.acme --output ../payments",
                "  marty generate service --type hybrid --name inventory --package io.acme.stock --dry-run",
                "  marty generate service --type http --name catalog --framework spring",
                ""
            })
    static final class Service implements Callable<Integer> {
        @Option(
                names = {"-t", "--type"},
                required = true,
                paramLabel = "TYPE",
                description = "http, grpc or hybrid (HTTP and gRPC in one process).")
        String type;

        @Option(
                names = {"-n", "--name"},
                required = true,
                paramLabel = "NAME",
                description =
                        "Service name, a DNS-1123 label (e.g. orders): artifactId, service.name, Kubernetes" + " name.")
        String name;

        @Option(
                names = {"-g", "--group"},
                paramLabel = "GROUP",
                description = "Maven groupId (default com.example).")
        @Nullable
        String group;

        @Option(
                names = {"-p", "--package"},
                paramLabel = "PACKAGE",
                description = "Java package (default <group>.<name without '-'>).")
        @Nullable
        String javaPackage;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                description = "Directory to create (default ./<name>); must not exist or be empty.")
        @Nullable
        Path output;

        @Option(
                names = "--framework",
                defaultValue = "plain",
                paramLabel = "FRAMEWORK",
                description = "plain (JDK HTTP server, grpc-java) or spring (Spring Boot with the Marty starter;"
                        + " --type http only). Default ${DEFAULT-VALUE}.")
        String framework;

        @Option(names = "--force", description = "Write into a non-empty output directory, overwriting files.")
        boolean force;

        @Option(names = "--dry-run", description = "List the files that would be written; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            // bad options throw InputException: MartyCli's one handler prints it as one line and exits 2
            Request request = ServiceGenerator.request(type, name, group, javaPackage, framework);
            Map<String, String> versions = ServiceGenerator.versions();
            if ("spring".equals(request.framework())) {
                String reason = ServiceGenerator.springUnavailableReason(versions, ServiceGenerator.localRepository());
                if (reason != null) {
                    throw new InputException("--framework spring: the Marty Spring Boot starter is not available: "
                            + reason + "; nothing was generated (use --framework plain)");
                }
            }
            Path dir = output != null ? output : Path.of(request.name());
            ServiceGenerator.checkOutput(dir, force);
            List<GeneratedFile> files = ServiceGenerator.render(request, versions);
            if (dryRun) {
                System.out.println("would write " + files.size() + " files to " + dir + ":");
                files.forEach(f -> System.out.println("  " + f.path()));
                return 0;
            }
            ServiceGenerator.write(dir, files);
            System.out.println("wrote " + files.size() + " files to " + dir + " (" + request.type() + " service '"
                    + request.name() + "', package " + request.javaPackage() + ")");
            System.out.println("next: cd " + dir + " && mvn verify   (see its README.md)");
            return 0;
        }
    }
}
