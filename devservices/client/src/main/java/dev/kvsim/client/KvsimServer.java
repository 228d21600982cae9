package dev.kvsim.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kvsim run as its own process for a test suite: launched from its runnable artifact on free ports with a
 * temporary data directory, awaited until its admin API answers, and stopped (every node with it) by
 * {@link #close()}, by a JVM shutdown hook, or, should this JVM die without one, by kvsim itself when it sees
 * its parent process gone.
 */
public final class KvsimServer implements AutoCloseable {

    /**
     * JVM options for a short-lived kvsim: C1 only and the serial collector start faster on small machines
     * (bench/RESULTS.md "Start-up time"); the proxy's peak throughput is lower, which test suites do not notice.
     * A class-data-sharing archive ({@link ClassDataArchive}) comes on top unless turned off.
     */
    static final List<String> DEV_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final AtomicInteger LAUNCHES = new AtomicInteger();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String TOKEN_KEY = "kvsim.api.token";
    private static final String PASSWORD_KEY = "kvsim.default-instance.password";
    private static final String PASSWORD_VARIABLE = "KVSIM_DEFAULT_INSTANCE_PASSWORD";

    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final ClassDataArchive classData;
    private final KvsimAdmin admin;
    private final Endpoint defaultInstance;
    private final Thread shutdownHook;
    private final String apiToken;
    private boolean closed;  // guarded by stop()'s lock

    private KvsimServer(Process process, Path dataDir, Path logFile, ClassDataArchive classData, KvsimAdmin admin,
                        Endpoint defaultInstance, String apiToken) {
        this.process = process;
        this.apiToken = apiToken;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.classData = classData;
        this.admin = admin;
        this.defaultInstance = defaultInstance;
        this.shutdownHook = new Thread(this::stop, "kvsim-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI adminUri() {
        return admin.uri();
    }

    /** A client of this kvsim's admin API, its token included. */
    public KvsimAdmin admin() {
        return admin;
    }

    /** The token this kvsim's admin API asks for (send {@code Authorization: Bearer <token>}); empty when none. */
    public Optional<String> apiToken() {
        return Optional.ofNullable(apiToken);
    }

    /** The default instance, when the builder asked for one. */
    public Optional<Endpoint> defaultInstance() {
        return Optional.ofNullable(defaultInstance);
    }

    /** kvsim's output (stdout and stderr); kept after {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** kvsim's temporary working directory (its data directory and ready file); deleted by {@link #close()}. */
    public Path dataDirectory() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops kvsim gracefully (it stops every node), forcibly after 30 s, and deletes its data directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the server stopped
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        terminate(process, dataDir, classData, true);
    }

    /**
     * Ends a kvsim: gracefully (SIGTERM; it stops every node; forcibly after 30 s) or at once, then any node a
     * forced end left behind, then its data directory. The class-data recording is kept only after a graceful end.
     */
    private static void terminate(Process process, Path dataDir, ClassDataArchive classData, boolean gracefully) {
        List<ProcessHandle> nodes = process.descendants().toList();
        boolean graceful = false;
        try {
            if (gracefully) {
                process.destroy();
                graceful = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!graceful) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        classData.finish(graceful);
        nodes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        deleteDataDirectory(dataDir);
    }

    private static void deleteDataDirectory(Path dataDir) {
        try {
            KvsimArtifact.deleteTree(dataDir);
        } catch (IOException e) {
            System.err.println("kvsim: cannot delete its data directory " + dataDir + ": " + e.getMessage());
        }
    }

    /** How to launch kvsim. */
    public static final class Builder {
        private Path artifact;
        private String haProfile = "fast";
        private boolean defaultInstance;
        private String defaultClass;
        private String defaultPassword;
        private int defaultPort;
        private int adminPort;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(DEV_JVM_OPTIONS);
        private Path logDirectory;
        private boolean classDataSharing = true;
        private Duration startTimeout = Duration.ofSeconds(60);
        private String apiToken = newToken();

        private Builder() {
        }

        /**
         * The token kvsim's admin API asks for ({@code kvsim.api.token}). By default a new random one for each
         * launch: no one else on the machine (another user's test, a web page) can drive the kvsim of this test
         * suite; {@link KvsimServer#admin()} sends it. Null: no token.
         */
        public Builder apiToken(String token) {
            this.apiToken = token;
            return this;
        }

        /** kvsim's {@code quarkus-run.jar}, its directory, or its {@code -app.zip}; default: see {@link KvsimArtifact}. */
        public Builder artifact(Path jarOrAppZip) {
            this.artifact = jarOrAppZip;
            return this;
        }

        /** HA timings: {@code fast} (the default here: failover in under a second) or {@code realistic}. */
        public Builder haProfile(String profile) {
            this.haProfile = profile;
            return this;
        }

        /** Creates a default instance of this class (password null: password-free; port 0: a free one). */
        public Builder defaultInstance(String instanceClass, String password, int port) {
            this.defaultInstance = true;
            this.defaultClass = instanceClass;
            this.defaultPassword = password;
            this.defaultPort = port;
            return this;
        }

        /** The admin API's port; 0 (the default): a free one. */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** Any kvsim configuration key (docs/admin-api.md "Configuration keys"), passed as a system property. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** An extra JVM option for kvsim's process. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Where kvsim's log file goes; default {@code target/kvsim/} when there is a {@code target}, else the temp directory. */
        public Builder logDirectory(Path directory) {
            this.logDirectory = directory;
            return this;
        }

        /** Whether to record and use a class-data-sharing archive of kvsim (default true: a faster start). */
        public Builder classDataSharing(boolean enabled) {
            this.classDataSharing = enabled;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Launches kvsim and waits until it is ready. @throws KvsimStartException naming kvsim's log file */
        public KvsimServer start() {
            Path cacheDir = KvsimArtifact.cacheDir();
            Path runJar = KvsimArtifact.runJar(artifact, cacheDir);
            Path dataDir;
            Path log;
            try {
                dataDir = Files.createTempDirectory("kvsim-data-");
                log = logFile();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create kvsim's data directory or log file", e);
            }
            Path readyFile = dataDir.resolve("ready.json");
            ClassDataArchive classData = classDataSharing ? ClassDataArchive.forJar(runJar, cacheDir) : ClassDataArchive.NONE;
            String token = properties.getOrDefault(TOKEN_KEY, apiToken);
            String password = properties.getOrDefault(PASSWORD_KEY, defaultPassword);
            List<String> command = command(runJar, dataDir, readyFile, classData.jvmOptions());
            Process process;
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).directory(dataDir.toFile());
                // Secrets go through the environment, which only their owner can read (/proc/<pid>/environ),
                // never the command line, which every local user sees.
                pb.environment().remove(KvsimAdmin.TOKEN_VARIABLE);
                if (token != null) {
                    pb.environment().put(KvsimAdmin.TOKEN_VARIABLE, token);
                }
                pb.environment().remove(PASSWORD_VARIABLE);
                if (defaultInstance && password != null) {
                    pb.environment().put(PASSWORD_VARIABLE, password);
                }
                process = pb.start();
            } catch (IOException e) {
                deleteDataDirectory(dataDir);
                throw new KvsimStartException("cannot run " + command.get(0) + ": " + e.getMessage(), log, e);
            }
            try {
                Ready ready = awaitReady(process, readyFile, log);
                KvsimAdmin admin = KvsimAdmin.connect(URI.create(ready.adminUrl()), token);
                admin.classes();  // the ready file says where; the API answering says ready
                Endpoint endpoint = null;
                if (ready.defaultInstance() != null) {
                    Instance instance = admin.awaitStatus(ready.defaultInstance().instanceId(), Instance.NORMAL, startTimeout);
                    endpoint = instance.endpoint(password);
                }
                return new KvsimServer(process, dataDir, log, classData, admin, endpoint, token);
            } catch (RuntimeException e) {
                terminate(process, dataDir, classData, false);  // not ready: no graceful stop to wait for
                throw e instanceof KvsimStartException ? e : new KvsimStartException("kvsim did not become ready: " + e.getMessage(), log, e);
            }
        }

        private List<String> command(Path runJar, Path dataDir, Path readyFile, List<String> classDataOptions) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(classDataOptions);
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kvsim.data-dir", dataDir.resolve("data").toString());
            props.put("kvsim.ready-file", readyFile.toString());
            props.put("kvsim.parent-pid", Long.toString(ProcessHandle.current().pid()));
            props.put("quarkus.http.port", Integer.toString(adminPort));
            props.put("kvsim.ha.profile", haProfile);
            props.put("kvsim.default-instance.enabled", Boolean.toString(defaultInstance));
            if (defaultInstance) {
                props.put("kvsim.default-instance.instance-class", defaultClass);
                props.put("kvsim.default-instance.port", Integer.toString(defaultPort));
            }
            props.putAll(properties);
            props.keySet().removeAll(List.of(TOKEN_KEY, PASSWORD_KEY));  // passed in the environment, see start()
            props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(runJar.toString());
            return cmd;
        }

        private static String newToken() {
            byte[] bytes = new byte[24];
            new java.security.SecureRandom().nextBytes(bytes);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        private Path logFile() throws IOException {
            Path dir = logDirectory;
            if (dir == null) {
                dir = Files.isDirectory(Path.of("target")) ? Path.of("target", "kvsim")
                        : Path.of(System.getProperty("java.io.tmpdir"), "kvsim-logs");
            }
            Files.createDirectories(dir);
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            return dir.toAbsolutePath().resolve("kvsim-" + stamp + "-" + ProcessHandle.current().pid() + "-"
                    + LAUNCHES.incrementAndGet() + ".log");
        }

        /** Waits for kvsim's ready file, written once its admin API and default instance are up. */
        private Ready awaitReady(Process process, Path readyFile, Path log) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (!Files.exists(readyFile)) {
                if (!process.isAlive()) {
                    throw new KvsimStartException("kvsim exited with code " + process.exitValue() + " before it was ready.", log);
                }
                if (System.nanoTime() > deadline) {
                    throw new KvsimStartException("kvsim was not ready within " + startTimeout.toSeconds() + " s.", log);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KvsimStartException("interrupted while waiting for kvsim", log, e);
                }
            }
            try {
                return AdminHttp.JSON.readValue(readyFile.toFile(), Ready.class);
            } catch (IOException e) {
                throw new KvsimStartException("kvsim's ready file " + readyFile + " is unreadable: " + e.getMessage(), log, e);
            }
        }
    }

    /** The ready file kvsim writes ({@code kvsim.ready-file}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ready(long pid, String adminUrl, ReadyInstance defaultInstance) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReadyInstance(String instanceId, String host, int port) {
    }
}
