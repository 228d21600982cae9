package dev.kvsim.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A well-behaved client beside the hostile ones: on one connection it sends
 * {@code SET <key> <value>}, {@code GET <key>} and {@code INCR <counter>} in one pipeline, over and
 * over, and checks every answer (the value it set, the counter one higher each time). It counts wrong
 * answers, lost connections (then connects again) and the slowest round trip.
 */
public final class Checker implements Runnable {

    /** What the checker saw. */
    public record Stats(long rounds, long wrongAnswers, long lostConnections, long slowestMillis, String firstProblem) {
        public boolean clean() {
            return rounds > 0 && wrongAnswers == 0 && lostConnections == 0;
        }

        @Override
        public String toString() {
            return String.format("%d rounds, %d wrong answers, %d lost connections, slowest round trip %d ms%s",
                    rounds, wrongAnswers, lostConnections, slowestMillis, firstProblem == null ? "" : " (" + firstProblem + ")");
        }
    }

    private final int port;
    private final String password;
    private final String prefix;
    private volatile boolean stopped;
    private long rounds;
    private long wrong;
    private long lost;
    private long slowest;
    private String firstProblem;

    public Checker(int port, String password, String prefix) {
        this.port = port;
        this.password = password;
        this.prefix = prefix;
    }

    public void stop() {
        stopped = true;
    }

    public synchronized Stats stats() {
        return new Stats(rounds, wrong, lost, slowest / 1_000_000, firstProblem);
    }

    @Override
    public void run() {
        long counter = 0;
        while (!stopped) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                RespValues in = new RespValues(s.getInputStream());
                out.write(HostileFrames.resp("AUTH", password));
                out.write(HostileFrames.resp("DEL", prefix + ":n"));
                expect("+OK", in.line(), "AUTH");
                in.line();
                counter = 0;
                while (!stopped) {
                    long n = counter + 1;
                    String key = prefix + ":" + (n % 64);
                    String value = "v" + n + "-" + "x".repeat((int) (n % 200));
                    long start = System.nanoTime();
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    b.writeBytes(HostileFrames.resp("SET", key, value));
                    b.writeBytes(HostileFrames.resp("GET", key));
                    b.writeBytes(HostileFrames.resp("INCR", prefix + ":n"));
                    out.write(b.toByteArray());
                    expect("+OK", in.line(), "SET");
                    expect(value, in.bulk(), "GET");
                    expect(":" + n, in.line(), "INCR");
                    counter = n;
                    synchronized (this) {
                        rounds++;
                        slowest = Math.max(slowest, System.nanoTime() - start);
                    }
                }
            } catch (IOException e) {
                if (!stopped) {
                    synchronized (this) {
                        lost++;
                        note("connection lost: " + e);
                    }
                }
            }
        }
    }

    private void expect(String want, String got, String what) {
        if (!want.equals(got)) {
            synchronized (this) {
                wrong++;
                note(what + " answered " + got + " instead of " + want);
            }
        }
    }

    private void note(String problem) {
        if (firstProblem == null) {
            firstProblem = problem;
        }
    }

    /** The few reply shapes the checker reads. */
    private static final class RespValues {
        private final InputStream in;

        RespValues(InputStream in) {
            this.in = new java.io.BufferedInputStream(in);
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != -1; ) {
                if (c == '\r') {
                    in.read();
                    return b.toString();
                }
                b.append((char) c);
            }
            throw new IOException("connection closed");
        }

        String bulk() throws IOException {
            String head = line();
            if (!head.startsWith("$") || head.equals("$-1")) {
                return head;
            }
            byte[] v = in.readNBytes(Integer.parseInt(head.substring(1)) + 2);
            return new String(v, 0, v.length - 2, StandardCharsets.UTF_8);
        }
    }
}
