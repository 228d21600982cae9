package dev.kvsim.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** kvsim could not be started; the message names kvsim's log file and shows its last lines. */
public final class KvsimStartException extends RuntimeException {

    private static final int TAIL_LINES = 25;

    KvsimStartException(String reason, Path logFile, Throwable cause) {
        super(reason + (logFile == null ? "" : "\nkvsim's log: " + logFile + tail(logFile)), cause);
    }

    KvsimStartException(String reason, Path logFile) {
        this(reason, logFile, null);
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return last.isEmpty() ? " (empty)" : "\n  | " + String.join("\n  | ", last);
        } catch (IOException e) {
            return " (unreadable: " + e.getMessage() + ")";
        }
    }
}
