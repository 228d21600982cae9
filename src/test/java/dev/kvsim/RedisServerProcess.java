package dev.kvsim;

import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A plain redis-server (from PATH unless named) on a free loopback port and a temporary directory, for tests of
 * engine facts kvsim relies on. Closing it stops the process (forcibly after 5 s) and removes the directory.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts one and waits for its PONG; {@code extraArgs} are further redis-server options. */
    public static RedisServerProcess start(String... extraArgs) throws Exception {
        return startBinary("redis-server", extraArgs);
    }

    /** As {@link #start}, with another engine binary (e.g. the bundled Redis 6.2). */
    public static RedisServerProcess startBinary(String binary, String... extraArgs) throws Exception {
        Path dir = Files.createTempDirectory("kvsim-redis");
        int port = dev.kvsim.engine.FreePorts.pick();
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServerProcess server = new RedisServerProcess(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return server;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    String log = Files.readString(dir.resolve("redis.log"));
                    server.close();
                    throw new IllegalStateException("redis-server did not answer PING: " + log, e);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
