package dev.kvsim.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of what hostile and careless clients send one connection: valid commands that
 * each get exactly one reply (PING, ECHO, SET/GET/INCR/DEL/EXISTS/HSET on {@code fuzz:*} keys only,
 * unknown commands, wrong AUTH, SELECT), as RESP arrays or inline, cut into pieces anywhere;
 * frames that get no reply (empty and negative arrays, empty lines); and one malformed or oversized
 * frame whose exact engine error the script knows (bad type bytes, bad and huge lengths, lines past
 * 64 KB, unbalanced quotes, the limits before AUTH); or a frame announcing up to 512 MB and never
 * finished. Only JDK classes: the benchmark runs it outside of Maven.
 */
public final class HostileFrames {

    /** What the client does with its connection. */
    public enum Mode {
        /** Reads every reply, checks them and the close after an error. */
        READ,
        /** Never reads; closes when it has sent everything. */
        NO_READ,
        /** Sends a frame announcing far more than it sends, then closes. */
        HALF,
        /** Connects from an address outside the whitelist: reads the refusal and the close. */
        REFUSED
    }

    /**
     * One connection's bytes and what it must read: {@code replies} replies, the last of them
     * {@code error} when not null (then the close).
     */
    public record Script(Mode mode, boolean authenticate, List<byte[]> frames, int replies, String error) {
    }

    private static final int INLINE_MAX = 64 * 1024;
    private final Random rnd;
    private final String password;

    public HostileFrames(long seed, String password) {
        this.rnd = new Random(seed);
        this.password = password;
    }

    public Script next() {
        int kind = rnd.nextInt(100);
        Mode mode = kind < 5 ? Mode.REFUSED : kind < 15 ? Mode.HALF : kind < 30 ? Mode.NO_READ : Mode.READ;
        boolean auth = rnd.nextBoolean();
        List<byte[]> frames = new ArrayList<>();
        int replies = 0;
        if (auth) {
            frames.add(resp("AUTH", password));
            replies++;
        }
        int count = 1 + (int) Math.min(200, Math.abs(rnd.nextGaussian() * 25));
        for (int i = 0; i < count; i++) {
            int k = rnd.nextInt(10);
            if (k == 0) {
                frames.add(silent());
            } else {
                frames.add(valid(auth));
                replies++;
            }
        }
        String error = null;
        if (mode == Mode.HALF) {
            frames.add(half(auth));
        } else if (mode == Mode.READ && rnd.nextInt(3) == 0) {
            String[] bad = new String[1];
            frames.add(malformed(auth, bad));
            error = bad[0];
            replies++;
        }
        if (mode == Mode.REFUSED) {
            return new Script(mode, false, frames, 1, "-ERR illegal address");
        }
        return new Script(mode, auth, frames, replies, error);
    }

    // ---- frames with one reply -----------------------------------------------------------------

    private byte[] valid(boolean auth) {
        String key = "fuzz:" + rnd.nextInt(1000);
        byte[] value = bytes(rnd.nextInt(20) == 0 && auth ? 16384 + rnd.nextInt(48 * 1024) : rnd.nextInt(512));
        return switch (rnd.nextInt(12)) {
            case 0 -> inline("PING");
            case 1 -> inline("SET " + key + " \"a b\\x41\\n\" ");
            case 2 -> inline("GET " + key);
            case 3 -> resp("PING", value);
            case 4 -> resp("ECHO", value);
            case 5 -> resp("SET", key, value);
            case 6 -> resp("GET", key);
            case 7 -> resp("INCR", "fuzz:n:" + rnd.nextInt(100));
            case 8 -> resp("DEL", key, "fuzz:" + rnd.nextInt(1000));
            case 9 -> resp("HSET", "fuzz:h:" + rnd.nextInt(100), "f", value);
            case 10 -> resp("AUTH", "fuzz-user", bytes(1 + rnd.nextInt(40)));
            default -> resp(unknownName(), value);
        };
    }

    /** A command name that no engine has: "fz" and random bytes, so that nothing real runs by chance. */
    private byte[] unknownName() {
        byte[] b = bytes(1 + rnd.nextInt(12));
        byte[] name = new byte[b.length + 2];
        name[0] = 'f';
        name[1] = 'z';
        System.arraycopy(b, 0, name, 2, b.length);
        return name;
    }

    /** Frames that get no reply at all. */
    private byte[] silent() {
        return ascii(switch (rnd.nextInt(4)) {
            case 0 -> "*0\r\n";
            case 1 -> "*-1\r\n";
            case 2 -> "\r\n";
            default -> "   \n";
        });
    }

    // ---- the last frame: malformed, with the engine's error ---------------------------------------

    private byte[] malformed(boolean auth, String[] error) {
        int k = rnd.nextInt(auth ? 11 : 13);
        switch (k) {
            case 0 -> {
                byte b = pick(":+-$#0123456789\u0000\u00ff\u0001%");
                error[0] = "expected '*' or an inline command, got " + describe(b);
                return concat(new byte[] {b}, ascii("PING\r\n"));
            }
            case 1 -> {
                byte b = pick("+:-*%#X");
                error[0] = "expected '$', got " + describe(b);
                return concat(ascii("*2\r\n$3\r\nGET\r\n"), new byte[] {b}, ascii("3\r\nabc\r\n"));
            }
            case 2 -> {
                error[0] = "invalid bulk length";
                String len = new String[] {"-1", "-5", "abc", "04", "+4", "536870913", "99999999999999999999", ""}[rnd.nextInt(8)];
                return ascii("*1\r\n$" + len + "\r\n");
            }
            case 3 -> {
                error[0] = "invalid multibulk length";
                String len = new String[] {"x", "01", "+2", "2147483648", "9999999999999999999", "", "-0"}[rnd.nextInt(7)];
                return ascii("*" + len + "\r\n");
            }
            case 4 -> {
                error[0] = "too big mbulk count string";
                return concat(ascii("*"), digits(INLINE_MAX + 1 + rnd.nextInt(1024)));
            }
            case 5 -> {
                error[0] = "too big bulk count string";
                return concat(ascii("*1\r\n$"), digits(INLINE_MAX + 1 + rnd.nextInt(1024)));
            }
            case 6 -> {
                error[0] = "too big inline request";
                byte[] line = ascii("SET ".repeat(INLINE_MAX / 4 + 1 + rnd.nextInt(256)));
                return line;
            }
            case 7, 8 -> {
                error[0] = "unbalanced quotes in request";
                return ascii(new String[] {"SET k \"a b\r\n", "GET 'x\r\n", "ECHO \"a\"b\r\n", "SET k 'a'b\r\n"}[rnd.nextInt(4)]);
            }
            case 9 -> {
                error[0] = "invalid bulk length";
                return ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-" + (1 + rnd.nextInt(9)) + "\r\n");
            }
            case 10 -> {
                error[0] = "invalid multibulk length";
                return ascii("*" + (2147483648L + rnd.nextInt(1000)) + "\r\n");
            }
            case 11 -> {
                error[0] = "unauthenticated multibulk length";
                return ascii("*" + (11 + rnd.nextInt(1_000_000)) + "\r\n");
            }
            default -> {
                error[0] = "unauthenticated bulk length";
                return ascii("*2\r\n$4\r\nAUTH\r\n$" + (16385 + rnd.nextInt(1 << 20)) + "\r\n");
            }
        }
    }

    /** A frame that announces far more than it sends (the sender then leaves). */
    private byte[] half(boolean auth) {
        long announced = auth ? 1 + (long) (rnd.nextDouble() * 536870912L) : 1 + rnd.nextInt(16384);
        int args = auth ? 1 + rnd.nextInt(1000) : 1 + rnd.nextInt(10);
        byte[] start = ascii("*" + args + "\r\n$0\r\n\r\n$" + announced + "\r\n");
        return concat(start, bytes((int) Math.min(announced - 1, rnd.nextInt(4096))));
    }

    // ---- encoding ----------------------------------------------------------------------------------

    private static String describe(byte c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c & 0xff);
    }

    private byte pick(String choices) {
        return (byte) choices.charAt(rnd.nextInt(choices.length()));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private byte[] digits(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('0' + rnd.nextInt(10));
        }
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] inline(String line) {
        return ascii(line + "\r\n");
    }

    /** A RESP array of bulk strings; each argument a String or a byte[]. */
    static byte[] resp(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + args.length + "\r\n"));
        for (Object a : args) {
            byte[] b = a instanceof byte[] raw ? raw : ((String) a).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ascii("$" + b.length + "\r\n"));
            out.writeBytes(b);
            out.writeBytes(ascii("\r\n"));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
