package io.marty.observability.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for one test class: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start} on a free port of 127.0.0.1 (no persistence settings: {@code fsync=off}); {@link
 * #close()} stops it ({@code pg_ctl stop}, then its postmaster PID is killed if it is still there) and
 * deletes the directory. Every step is bounded in time. Run as root (CI), the server runs as the
 * {@code postgres} user through {@code runuser}, because {@code initdb} refuses root. A missing
 * installation fails the test with how to install it ({@code apt-get install postgresql}).
 *
 * <pre>{@code
 * static PostgresServer postgres;
 *
 * @BeforeAll
 * static void startPostgres() throws Exception {
 *     postgres = PostgresServer.start();
 * }
 *
 * @AfterAll
 * static void stopPostgres() {
 *     postgres.close();
 * }
 *
 * // DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
    private static final String INSTALL = "install PostgreSQL's server (apt-get install postgresql)";
    private static final String USER = "marty";
    private static final long STEP_SECONDS = 90;

    private final Path dir;
    private final Path data;
    private final Path pgCtl;
    private final boolean asPostgresUser;
    private final int port;
    private final long pid;

    private PostgresServer(Path dir, Path data, Path pgCtl, boolean asPostgresUser, int port, long pid) {
        this.dir = dir;
        this.data = data;
        this.pgCtl = pgCtl;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
        this.pid = pid;
    }

    /** Initialises and starts a server; fails when PostgreSQL is not installed or does not start in time. */
    public static PostgresServer start() throws IOException, InterruptedException {
        String[] binDirs = postgresBinDirs();
        Path initdb = ExternalTools.requireInstalled("initdb", INSTALL, binDirs);
        Path pgCtl = ExternalTools.requireInstalled("pg_ctl", INSTALL, binDirs);
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("marty-postgres");
        Path data = dir.resolve("data");
        if (root) {
            UserPrincipal postgres =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        run(root, dir, initdb.toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync");
        int port = ExternalTools.freeLoopbackPort();
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off";
        run(
                root,
                dir,
                pgCtl.toString(),
                "start",
                "-w",
                "-t",
                String.valueOf(STEP_SECONDS),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("server.log").toString(),
                "-o",
                options);
        String pidLine = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8)
                .get(0);
        return new PostgresServer(dir, data, pgCtl, root, port, Long.parseLong(pidLine.trim()));
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The superuser the tests connect as (no password: trust authentication on loopback). */
    public String user() {
        return USER;
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The postmaster's process id. */
    public long pid() {
        return pid;
    }

    /** Stops the server (fast shutdown, then the PID is killed if it is still alive) and deletes its files. */
    @Override
    public void close() {
        try {
            run(asPostgresUser, dir, pgCtl.toString(), "stop", "-m", "fast", "-w", "-t", "30", "-D", data.toString());
        } catch (IOException | InterruptedException | AssertionError e) {
            // the kill below is the fallback
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        postmaster.ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        });
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** The Debian layout keeps the server binaries off PATH: {@code /usr/lib/postgresql/<version>/bin}. */
    private static String[] postgresBinDirs() {
        List<String> dirs = new ArrayList<>();
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.sorted(Comparator.reverseOrder())
                        .forEach(v -> dirs.add(v.resolve("bin").toString()));
            } catch (IOException e) {
                // then only PATH is searched
            }
        }
        return dirs.toArray(new String[0]);
    }

    private static void run(boolean asPostgresUser, Path dir, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of(
                    ExternalTools.requireInstalled("runuser", "install util-linux")
                            .toString(),
                    "-u",
                    "postgres",
                    "--"));
        }
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile("marty-postgres", ".txt");
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(STEP_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + STEP_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String log = dir.resolve("server.log").toFile().exists()
                        ? Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8)
                        : "";
                throw new AssertionError(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
