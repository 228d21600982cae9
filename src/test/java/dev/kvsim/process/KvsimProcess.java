package dev.kvsim.process;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** kvsim as users run it: the packaged jar in its own JVM, on free ports, with its own data directory. */
final class KvsimProcess implements AutoCloseable {

    final Path dataDir;
    final int adminPort;
    int defaultPort;
    private List<String> extraArgs;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private Process process;
    private Path log;
    private int starts;

    KvsimProcess(Path dataDir, int defaultPort, String... extraArgs) {
        this.dataDir = dataDir;
        this.adminPort = freePort();
        this.defaultPort = defaultPort;
        this.extraArgs = List.of(extraArgs);
    }

    /** Below the ephemeral range, as kvsim picks its own: kvsim binds it only seconds later, after its start-up. */
    static int freePort() {
        return dev.kvsim.engine.FreePorts.pick();
    }

    /** Changes the start options for the next {@link #start()} on the same data directory. */
    KvsimProcess reconfigure(int defaultPort, String... extraArgs) {
        this.defaultPort = defaultPort;
        this.extraArgs = List.of(extraArgs);
        return this;
    }

    /** Sets an environment variable of the kvsim process (e.g. a PATH without redis-server). */
    KvsimProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    KvsimProcess start() throws IOException {
        return start("-Dkvsim.data-dir=" + dataDir.toAbsolutePath());
    }

    /** Starts with the data directory given as written on a command line (e.g. with a ~). */
    KvsimProcess start(String dataDirOption) throws IOException {
        String jar = System.getProperty("kvsim.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                dataDirOption,
                "-Dquarkus.http.port=" + adminPort,
                "-Dkvsim.default-instance.port=" + defaultPort));
        for (String a : extraArgs) {
            cmd.add(a);
        }
        cmd.add("-jar");
        cmd.add(jar);
        log = dataDir.resolve("kvsim-" + (++starts) + ".log");
        Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        process = pb.start();
        return this;
    }

    /** Waits for the "kvsim ready" line. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains("kvsim ready")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("kvsim exited with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("kvsim not ready within " + timeout + ":\n" + output());
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("kvsim did not exit within " + timeout);
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    RequestSpecification api() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(adminPort);
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook runs, nodes are left behind. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * kill -9 of kvsim's node watchdogs, the shells between kvsim and its nodes: the nodes run on
     * unwatched, as after a crash of the whole machine's process tree but the nodes.
     */
    void kill9Watchdogs() throws Exception {
        List<ProcessHandle> watchdogs = ProcessHandle.of(pid()).orElseThrow().children()
                .filter(h -> h.info().arguments().map(a -> java.util.Arrays.asList(a).contains("kvsim-node-watchdog"))
                        .orElse(false))
                .toList();
        for (ProcessHandle h : watchdogs) {
            h.destroyForcibly();
            h.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: kvsim's graceful stop. */
    int stop() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    /** Node processes whose working directory is under this kvsim's data directory. */
    List<ProcessHandle> nodeProcesses() {
        Path root = dataDir.toAbsolutePath().normalize();
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    Path cwd = Files.readSymbolicLink(p.resolve("cwd"));
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    if (cwd.startsWith(root) && !zombie) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone or not ours
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Whatever happens in a test: no kvsim and no node outlives it. */
    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : nodeProcesses()) {
            h.destroyForcibly();
            h.onExit().get(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
