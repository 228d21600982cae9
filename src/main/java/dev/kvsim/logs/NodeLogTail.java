package dev.kvsim.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one node's log file: each call returns the whole lines written since the previous one. A file seen for the
 * first time is read from its last {@link #FIRST_READ} bytes (a node restored at kvsim's start shows its recent past,
 * not its whole history); a file that shrank was replaced (a node started empty) and is read from its start.
 */
final class NodeLogTail {

    static final int FIRST_READ = 64 * 1024;
    /** At most this much is read per call, so that a node logging a flood costs a bounded read per second. */
    private static final int MAX_READ = 256 * 1024;
    /** A longer line is cut (the engine's own lines are short; a client's data never reaches its log). */
    static final int MAX_LINE = 1024;

    private final Path file;
    private long position = -1;

    NodeLogTail(Path file) {
        this.file = file;
    }

    List<String> newLines() {
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return lines;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            boolean partialFirst = false;
            if (position < 0 || size < position) {
                position = position < 0 ? Math.max(0, size - FIRST_READ) : 0;
                partialFirst = position > 0;
            }
            long end = Math.min(size, position + MAX_READ);
            if (end <= position) {
                return lines;
            }
            byte[] bytes = new byte[(int) (end - position)];
            f.seek(position);
            f.readFully(bytes);
            int lastNewline = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                if (bytes.length == MAX_READ) {
                    position = end;  // one line longer than a read: skip it
                }
                return lines;
            }
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            position += lastNewline + 1;
            String[] split = text.split("\n", -1);
            for (int i = partialFirst ? 1 : 0; i < split.length; i++) {
                String line = split[i].endsWith("\r") ? split[i].substring(0, split[i].length() - 1) : split[i];
                if (!line.isBlank()) {
                    lines.add(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line);
                }
            }
        } catch (IOException e) {
            // gone between the check and the read (a node being replaced): next time
        }
        return lines;
    }
}
