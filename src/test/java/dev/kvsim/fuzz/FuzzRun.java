package dev.kvsim.fuzz;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends {@link HostileFrames} over many connections at once to one instance's port while a
 * well-behaved {@link Checker} works beside them, and counts what went wrong: a hostile connection
 * that read a malformed reply, a reply count or error other than the engine's, a refusal that did not
 * close; the checker's wrong answers and lost connections; the port refusing connections (kvsim
 * gone). Only JDK classes: the benchmark runs it with {@code java -cp target/test-classes}.
 */
public final class FuzzRun {

    /** What a run saw. */
    public static final class Result {
        public final AtomicLong frames = new AtomicLong();
        public final AtomicLong connections = new AtomicLong();
        public final AtomicLong repliesChecked = new AtomicLong();
        public final AtomicLong protocolErrors = new AtomicLong();
        public final AtomicLong wrongAnswers = new AtomicLong();
        public final AtomicLong portDown = new AtomicLong();
        public final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        public Checker.Stats checker;

        void problem(String what) {
            wrongAnswers.incrementAndGet();
            if (problems.size() < 20) {
                problems.add(what);
            }
        }

        @Override
        public String toString() {
            return String.format("frames %d, connections %d, replies checked %d, protocol errors answered %d, "
                    + "wrong answers %d, port down %d; checker: %s%s", frames.get(), connections.get(),
                    repliesChecked.get(), protocolErrors.get(), wrongAnswers.get(), portDown.get(), checker,
                    problems.isEmpty() ? "" : "; first problems: " + problems);
        }
    }

    private final int port;
    private final String password;
    private final long seed;
    private final int threads;
    private final String refusedAddress;

    /**
     * @param refusedAddress a local address the instance's whitelist does not admit (127.0.0.2), or null
     */
    public FuzzRun(int port, String password, long seed, int threads, String refusedAddress) {
        this.port = port;
        this.password = password;
        this.seed = seed;
        this.threads = threads;
        this.refusedAddress = refusedAddress;
    }

    /** Runs until {@code frames} were sent or {@code maxMillis} passed. */
    public Result run(long frames, long maxMillis) throws Exception {
        Result result = new Result();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        Checker checker = new Checker(port, password, "check:" + seed);
        Thread checking = new Thread(checker, "fuzz-checker");
        checking.start();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long workerSeed = seed * 1_000_003L + t;
            Thread w = new Thread(() -> work(workerSeed, result, frames, deadline), "fuzz-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        checker.stop();
        checking.join();
        result.checker = checker.stats();
        return result;
    }

    private void work(long workerSeed, Result result, long frames, long deadline) {
        HostileFrames gen = new HostileFrames(workerSeed, password);
        Random cut = new Random(workerSeed ^ 0x5DEECE66DL);
        while (result.frames.get() < frames && System.nanoTime() < deadline) {
            HostileFrames.Script s = gen.next();
            if (s.mode() == HostileFrames.Mode.REFUSED && refusedAddress == null) {
                continue;
            }
            try {
                play(s, cut, result);
            } catch (ConnectException e) {
                result.portDown.incrementAndGet();
            } catch (IOException e) {
                result.problem(s.mode() + ": " + e);
            }
            result.connections.incrementAndGet();
            result.frames.addAndGet(s.frames().size());
        }
    }

    private void play(HostileFrames.Script s, Random cut, Result result) throws IOException {
        try (Socket socket = new Socket()) {
            if (s.mode() == HostileFrames.Mode.REFUSED) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(refusedAddress), 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            boolean sentAll = send(socket.getOutputStream(), s, cut);
            if (s.mode() == HostileFrames.Mode.READ || s.mode() == HostileFrames.Mode.REFUSED) {
                check(socket.getInputStream(), s, sentAll, result);
            }
            if (cut.nextInt(4) != 0) {
                socket.setSoLinger(true, 0);  // leave with a reset, as a killed client does
            }
        }
    }

    /** Writes the script's bytes cut at random places. @return false when the server closed first */
    private static boolean send(OutputStream out, HostileFrames.Script s, Random cut) {
        try {
            for (byte[] frame : s.frames()) {
                for (int at = 0; at < frame.length; ) {
                    int n = Math.min(frame.length - at, cut.nextInt(4) == 0 ? 1 + cut.nextInt(16) : 1 + cut.nextInt(65536));
                    out.write(frame, at, n);
                    at += n;
                }
            }
            out.flush();
            return true;
        } catch (IOException e) {
            return false;  // refused, or closed after a protocol error while the rest was still going out
        }
    }

    /** Reads what the script must read, then (after an error) the close. */
    private static void check(InputStream in, HostileFrames.Script s, boolean sentAll, Result result) {
        RespReader reader = new RespReader(in);
        int read = 0;
        try {
            for (; read < s.replies(); read++) {
                String reply = reader.next();
                result.repliesChecked.incrementAndGet();
                boolean last = read == s.replies() - 1;
                if (reply.contains("kvsim")) {
                    result.problem(s.mode() + ": a reply in kvsim's own words: " + reply);
                }
                if (s.error() != null && last) {
                    String want = s.mode() == HostileFrames.Mode.REFUSED ? s.error() : "-ERR Protocol error: " + s.error();
                    if (!reply.equals(want)) {
                        result.problem(s.mode() + ": expected " + want + ", read " + reply);
                    }
                    result.protocolErrors.incrementAndGet();
                } else if (reply.startsWith("-ERR Protocol error") || reply.equals("-ERR illegal address")) {
                    result.problem(s.mode() + ": reply " + (read + 1) + " of " + s.replies() + " is " + reply);
                    return;
                }
            }
            if (s.error() != null) {
                try {
                    String more = reader.next();
                    result.problem(s.mode() + ": after " + s.error() + " the connection stayed open and sent " + more);
                } catch (EOFException closed) {
                    // as the engine: closed after the error
                }
            }
        } catch (EOFException e) {
            if (sentAll) {
                result.problem(s.mode() + ": closed after " + read + " of " + s.replies() + " replies"
                        + (s.error() == null ? "" : " (" + s.error() + ")"));
            }
        } catch (SocketTimeoutException e) {
            result.problem(s.mode() + ": no reply within 10 s after " + read + " of " + s.replies()
                    + (s.error() == null ? "" : " (" + s.error() + ")"));
        } catch (SocketException e) {
            if (sentAll && !String.valueOf(e.getMessage()).contains("reset")) {
                result.problem(s.mode() + ": " + e.getMessage());
            }
        } catch (IOException e) {
            result.problem(s.mode() + ": " + e.getMessage());
        }
    }

    /**
     * For the benchmark: {@code FuzzRun <port> <password> <frames> [seed] [threads] [refused address]
     * [max seconds]}; prints the result and exits non-zero when anything went wrong.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long frames = Long.parseLong(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        String refused = args.length > 5 && !args[5].isEmpty() ? args[5] : null;
        long maxSeconds = args.length > 6 ? Long.parseLong(args[6]) : 3600;
        long start = System.nanoTime();
        Result r = new FuzzRun(port, args[1], seed, threads, refused).run(frames, maxSeconds * 1000);
        System.out.printf("seconds %.1f; %s%n", (System.nanoTime() - start) / 1e9, r);
        boolean clean = r.wrongAnswers.get() == 0 && r.portDown.get() == 0 && r.checker.clean();
        System.exit(clean ? 0 : 1);
    }
}
