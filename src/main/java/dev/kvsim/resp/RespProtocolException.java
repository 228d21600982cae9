package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

/**
 * Malformed or oversized client input, which the engine answers with {@code -ERR Protocol error: ...}
 * and a close, or (a command past its query-buffer limit) with a close alone.
 */
public final class RespProtocolException extends Exception {

    private final boolean answered;

    public RespProtocolException(String detail) {
        this("ERR Protocol error: " + detail, true);
    }

    private RespProtocolException(String message, boolean answered) {
        super(message, null, false, false);
        this.answered = answered;
    }

    /**
     * A command still incomplete past the engine's {@code client-query-buffer-limit}: the engine closes
     * the connection without a reply ("Closing client that reached max query buffer length").
     */
    static RespProtocolException queryBufferLimit() {
        return new RespProtocolException("the client reached the max query buffer length (1 GB) with an incomplete command",
                false);
    }

    /** What the client reads before the connection closes: the engine's error, or nothing. */
    public Buffer reply() {
        return answered ? Resp.error(getMessage()) : Buffer.buffer(0);
    }
}
