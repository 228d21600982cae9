package dev.kvsim.fuzz;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads whole RESP2 and RESP3 frames from a stream and checks their shape (types, lengths, CRLFs);
 * a frame is summed up by its first line (e.g. {@code +OK}, {@code -ERR …}, {@code $5}). Only JDK
 * classes.
 */
final class RespReader {

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int len;

    RespReader(InputStream in) {
        this.in = in;
    }

    /** The next top-level frame's first line; EOFException when the connection ends before one. */
    String next() throws IOException {
        String head = line();
        skipBody(head);
        return head;
    }

    private void skipBody(String head) throws IOException {
        if (head.isEmpty()) {
            throw new IOException("malformed reply: an empty line");
        }
        char type = head.charAt(0);
        switch (type) {
            case '+', '-', ':', ',', '#', '(', '_' -> {
            }
            case '$', '=', '!' -> {
                long n = number(head);
                if (n >= 0) {
                    skip(n);
                    if (read() != '\r' || read() != '\n') {
                        throw new IOException("malformed reply: a bulk not ended by CRLF");
                    }
                }
            }
            case '*', '~', '>', '%', '|' -> {
                long n = number(head) * (type == '%' || type == '|' ? 2 : 1);
                for (long i = 0; i < n; i++) {
                    skipBody(line());
                }
            }
            default -> throw new IOException("malformed reply: type byte " + (int) type);
        }
    }

    private static long number(String head) throws IOException {
        try {
            return Long.parseLong(head.substring(1));
        } catch (NumberFormatException e) {
            throw new IOException("malformed reply: length '" + head + "'");
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = read();
            if (c == '\r') {
                if (read() != '\n') {
                    throw new IOException("malformed reply: CR without LF");
                }
                return b.toString();
            }
            b.append((char) c);
            if (b.length() > 1 << 20) {
                throw new IOException("malformed reply: a line over 1 MB");
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == len) {
                fill();
            }
            int step = (int) Math.min(n, len - pos);
            pos += step;
            n -= step;
        }
    }

    private int read() throws IOException {
        if (pos == len) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    private void fill() throws IOException {
        len = in.read(buf);
        pos = 0;
        if (len < 0) {
            len = 0;
            throw new EOFException("connection closed");
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
