package dev.kvsim.resp;

/** Malformed client input: the client gets {@code -ERR Protocol error: ...} and is closed. */
public final class RespProtocolException extends Exception {

    public RespProtocolException(String detail) {
        super("ERR Protocol error: " + detail, null, false, false);
    }
}
