package dev.kvsim.client;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A test JVM killed outright (no shutdown hook runs) must not leave kvsim or its nodes behind. */
class ParentDeathTest {

    @Test
    void kvsimStopsWithItsNodesWhenTheJvmThatLaunchedItIsKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process testJvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Launching.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long kvsimPid;
        List<Long> nodes;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(testJvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertNotNull(line, "the launching JVM reports kvsim's pid");
            kvsimPid = Long.parseLong(line.trim());
            ProcessHandle kvsim = ProcessHandle.of(kvsimPid).orElseThrow();
            nodes = kvsim.descendants().map(ProcessHandle::pid).toList();
            assertFalse(nodes.isEmpty(), "kvsim runs the default instance's nodes");
            testJvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            testJvm.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (alive(kvsimPid) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(alive(kvsimPid), "kvsim exits when its parent JVM is gone");
        for (long pid : nodes) {
            assertFalse(alive(pid), "redis-server " + pid + " stopped with kvsim");
        }
        ProcessHandle.of(kvsimPid).ifPresent(ProcessHandle::destroyForcibly);
        nodes.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The JVM that is killed: it launches kvsim, prints kvsim's pid and waits. */
    public static final class Launching {
        public static void main(String[] args) throws InterruptedException {
            KvsimServer server = KvsimServer.builder().defaultInstance("redis.master.small.default", null, 0).start();
            System.out.println(server.pid());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
