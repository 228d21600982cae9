package dev.kvsim.proxy;

import dev.kvsim.commands.EngineChecks;
import dev.kvsim.resp.Resp;
import io.vertx.core.buffer.Buffer;

/** Replies the proxy makes itself, in the engine's or the service's words; shared by every session. */
public final class Replies {

    public static final Buffer NOAUTH = Resp.error("NOAUTH Authentication required.");
    public static final Buffer WRONGPASS = Resp.error("WRONGPASS invalid username-password pair");
    public static final Buffer ILLEGAL_ADDRESS = Resp.error("ERR illegal address");
    public static final Buffer MAX_CLIENTS = Resp.error("ERR max number of clients reached");
    public static final Buffer HELLO_NOAUTH = Resp.error("NOAUTH HELLO must be called with the client already "
            + "authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the "
            + "client and select the RESP protocol version at the same time");
    public static final Buffer NOPROTO = Resp.error("NOPROTO sorry, this protocol version is not supported");
    public static final Buffer QUEUED = Buffer.buffer("+QUEUED\r\n");
    public static final Buffer EXECABORT = Resp.error("EXECABORT Transaction discarded because of previous errors.");
    public static final Buffer NOT_AN_INTEGER = Resp.error("ERR value is not an integer or out of range");
    public static final Buffer INVALID_CLIENT_NAME = Resp.error(
            "ERR Client names cannot contain spaces, newlines or special characters.");

    private Replies() {
    }

    /**
     * Whether a node's error is its refusal of a new connection for being full (it sends that instead of
     * a reply, then closes), which clients are told as it is.
     */
    public static boolean isMaxClients(Buffer engineError) {
        int n = MAX_CLIENTS.length() - 2;
        return engineError.length() >= n && engineError.getBuffer(0, n).equals(MAX_CLIENTS.getBuffer(0, n));
    }

    /** The engine's wrong-number-of-arguments error ({@code name} lower case, subcommands as {@code container|sub}). */
    public static Buffer wrongArity(String name) {
        return Resp.error(EngineChecks.wrongArity(name));
    }
}
