package dev.kvsim.engine;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own cut of a multi-part AOF at a point in time: {@code redis-check-aof --truncate-to-timestamp}. The
 * tool is the engine binary run under another name; kvsim uses the one installed beside the engine, or links one
 * to the engine in its data directory.
 */
@ApplicationScoped
public class AofTruncator {

    private static final long TIMEOUT_SECONDS = 600;

    private final EngineLocator engines;
    private final Path dataDir;

    public AofTruncator(EngineLocator engines, @ConfigProperty(name = "kvsim.data-dir") Path dataDir) {
        this.engines = engines;
        this.dataDir = dataDir;
    }

    /**
     * Drops everything the AOF holds after {@code epochSecond} (it keeps the commands of that second).
     *
     * @param manifest a manifest whose last file is the only one with annotations after that second
     * @throws IOException the tool failed; the message has its output
     */
    public void truncate(Path manifest, long epochSecond) throws IOException {
        Process p = new ProcessBuilder(tool().toString(), "--truncate-to-timestamp", Long.toString(epochSecond),
                manifest.toAbsolutePath().toString()).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("redis-check-aof did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("redis-check-aof --truncate-to-timestamp " + epochSecond + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** redis-check-aof (or valkey-check-aof) beside the engine; else a link named so to the engine binary itself. */
    synchronized Path tool() throws IOException {
        Path engine = engines.engine().path();
        for (String name : new String[]{"redis-check-aof", "valkey-check-aof"}) {
            Path beside = engine.resolveSibling(name);
            if (Files.isExecutable(beside)) {
                return beside;
            }
        }
        // the engine picks its tool by the name it was started under
        Path link = dataDir.resolve("engine").resolve("redis-check-aof");
        if (!Files.isSymbolicLink(link)) {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, engine.toAbsolutePath());
        }
        return link;
    }
}
