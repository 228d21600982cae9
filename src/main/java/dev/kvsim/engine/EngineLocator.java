package dev.kvsim.engine;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the engine binary: the configured path, else redis-server / valkey-server on PATH, else the
 * Redis 6.2 binary bundled in the embedded-redis jar, extracted once into the data directory.
 */
@ApplicationScoped
public class EngineLocator {

    private static final Pattern VERSION = Pattern.compile("v=([0-9][0-9.]*)");

    private final Optional<String> configuredPath;
    private final Path dataDir;
    private volatile EngineBinary engine;

    public EngineLocator(@ConfigProperty(name = "kvsim.engine.path") Optional<String> configuredPath,
                         @ConfigProperty(name = "kvsim.data-dir") Path dataDir) {
        this.configuredPath = configuredPath;
        this.dataDir = dataDir;
    }

    public EngineBinary engine() {
        EngineBinary e = engine;
        if (e == null) {
            synchronized (this) {
                if (engine == null) {
                    engine = locate();
                    Log.infof("engine: %s %s (%s)", engine.path(), engine.version(), engine.source());
                }
                e = engine;
            }
        }
        return e;
    }

    private EngineBinary locate() {
        if (configuredPath.isPresent() && !configuredPath.get().isBlank()) {
            Path p = Path.of(configuredPath.get());
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("kvsim.engine.path " + p + " is not an executable file");
            }
            return new EngineBinary(p, versionOf(p), "configured by kvsim.engine.path");
        }
        for (String name : new String[]{"redis-server", "valkey-server"}) {
            Optional<Path> onPath = findOnPath(name);
            if (onPath.isPresent()) {
                return new EngineBinary(onPath.get(), versionOf(onPath.get()), name + " on PATH");
            }
        }
        return bundled();
    }

    /** The Redis 6.2 binary bundled in the embedded-redis jar, extracted into the data directory. */
    public EngineBinary bundled() {
        Path bundled = extractBundled();
        return new EngineBinary(bundled, versionOf(bundled), "bundled with kvsim (embedded-redis)");
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Path extractBundled() {
        String resource = bundledResourceName();
        Path target = dataDir.resolve("engine").resolve(resource);
        try (InputStream in = EngineLocator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on PATH and the bundled binary " + resource + " is missing");
            }
            if (!Files.isExecutable(target)) {
                dev.kvsim.core.OwnerOnly.directories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), resource, ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the bundled redis-server to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Resource names inside com.github.codemonstur:embedded-redis:1.4.3. */
    private static String bundledResourceName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("linux")) {
            if (arm) {
                return "redis-server-6.2.7-linux-arm64";
            }
            return arch.contains("64") ? "redis-server-6.2.6-v5-linux-amd64" : "redis-server-6.2.7-linux-386";
        }
        throw new IllegalStateException("no bundled redis-server for " + os + "/" + arch + "; set kvsim.engine.path");
    }

    static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
