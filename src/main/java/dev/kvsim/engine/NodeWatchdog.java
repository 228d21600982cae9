package dev.kvsim.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a node under a small watchdog, so that no node outlives kvsim, even a kvsim killed by
 * {@code kill -9} (which runs none of its shutdown code). The watchdog is a POSIX shell, kvsim's
 * child, and the node is the watchdog's child. kvsim holds the write end of a pipe on the
 * watchdog's standard input and never writes to it; the kernel closes it when kvsim exits,
 * however it exits. The watchdog then stops the node as kvsim would: SIGCONT (a paused node
 * acts on nothing else), then SIGTERM every second (a node rewriting its AOF refuses the first),
 * and SIGKILL after 10 s.
 *
 * <p>Why a parent and not a sibling: the node's pid cannot be reused while its parent has not
 * reaped it, so the watchdog never signals a stranger. Why not {@code prctl(PR_SET_PDEATHSIG)}:
 * it fires when the <em>thread</em> that started the child ends (any pooled worker thread of
 * kvsim), and it does not exist on macOS.
 *
 * <p>The node runs with umask 077: its AOF, RDB and log files are its owner's alone. Nothing
 * secret is on either command line: the node's password is in its config file (0600).
 */
final class NodeWatchdog {

    /** The name the watchdog shows in {@code ps}, as {@code $0} of the script. */
    static final String NAME = "kvsim-node-watchdog";

    /**
     * Arguments: the node's directory, then the engine and its arguments. Prints the node's pid on
     * its standard output, then keeps quiet; exits with the node's status.
     */
    private static final String SCRIPT = String.join("\n",
            "umask 077",
            "trap '' INT",  // Ctrl-C in kvsim's terminal reaches the node itself; kvsim decides when this ends
            "dir=$1; shift",
            "exec 3<&0 </dev/null",
            "(cd \"$dir\" && exec \"$@\" >stdout.log 2>&1 3<&-) &",
            "node=$!",
            "echo \"$node\"",
            "exec >/dev/null 2>&1",
            "(",
            "  read -r _ <&3",  // returns when kvsim's end of the pipe closes
            "  kill -0 $$ || exit 0",  // this watchdog is gone (and so is its claim on the pid)
            "  kill -CONT \"$node\"",
            "  n=0",
            "  while kill -TERM \"$node\"; do",
            "    n=$((n + 1))",
            "    if [ \"$n\" -ge 10 ]; then kill -KILL \"$node\"; fi",
            "    sleep 1",
            "  done",
            ") &",
            "watcher=$!",
            "exec 3<&-",
            "wait \"$node\"",
            "status=$?",
            "kill \"$watcher\"",
            "exit \"$status\"");

    private NodeWatchdog() {
    }

    /** The watchdog process and the node it runs. */
    record Started(Process watchdog, ProcessHandle node) {
    }

    /**
     * Starts the engine with these arguments in the node's directory, under a watchdog.
     *
     * @throws IOException when the watchdog cannot start, or the node is gone before kvsim could see it
     */
    static Started start(Path nodeDir, List<String> engineCommand) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, NAME,
                nodeDir.toAbsolutePath().toString()));
        command.addAll(engineCommand);
        // The watchdog's own directory is not the node's: a process whose working directory is a
        // node directory counts as that node's (leftover reaping, tests).
        Process watchdog = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true).start();
        String pidLine;
        try (InputStream out = watchdog.getInputStream()) {
            pidLine = firstLine(out);
        }
        long pid;
        try {
            pid = Long.parseLong(pidLine.trim());
        } catch (NumberFormatException e) {
            watchdog.destroyForcibly();
            throw new IOException("the node's watchdog did not start: " + pidLine);
        }
        ProcessHandle node = ProcessHandle.of(pid).orElseThrow(() ->
                new IOException("the node exited at once (pid " + pid + ")"));
        return new Started(watchdog, node);
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }
}
