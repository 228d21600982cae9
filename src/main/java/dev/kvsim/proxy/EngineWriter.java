package dev.kvsim.proxy;

import dev.kvsim.resp.RespCommand;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * What a standard session sends its engine connection. Commands are forwarded as the bytes the
 * client sent: consecutive ones of one read leave in one write, without a copy.
 */
final class EngineWriter {

    private NetSocket backend;
    /** Contiguous forwarded bytes of the current read, written in one go. */
    private Buffer runSource;
    private int runStart;
    private int runEnd;

    void connected(NetSocket backend) {
        this.backend = backend;
    }

    /** Adds the command's bytes to the run written to the engine. */
    void forward(RespCommand cmd) {
        if (runSource == cmd.source() && runEnd == cmd.start()) {
            runEnd = cmd.end();
        } else {
            flush();
            runSource = cmd.source();
            runStart = cmd.start();
            runEnd = cmd.end();
        }
    }

    /** Bytes of kvsim's own (a login, a rewritten command), after what was forwarded before them. */
    void write(Buffer bytes) {
        flush();
        backend.write(bytes);
    }

    void flush() {
        if (runSource != null) {
            backend.write(runStart == 0 && runEnd == runSource.length() ? runSource : runSource.slice(runStart, runEnd));
            runSource = null;
        }
    }
}
