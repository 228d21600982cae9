package dev.kvsim.rkvstore;

/**
 * A refused RPC call as the service answers it: an HTTP status, the service's error code and a message.
 * Rendered as {@code {RequestId, HostId, Code, Message, Recommend}}.
 */
public final class RpcError extends RuntimeException {

    private final int status;
    private final String code;

    public RpcError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 MissingParameter in the gateway's words. */
    public static RpcError missing(String parameter) {
        return new RpcError(400, "MissingParameter", "The input parameter \"" + parameter
                + "\" that is mandatory for processing this request is not supplied.");
    }

    /** 400 InvalidParameter naming the parameter and why. */
    public static RpcError invalid(String parameter, String why) {
        return new RpcError(400, "InvalidParameter", "The specified parameter \"" + parameter + "\" is not valid: " + why);
    }

    public static RpcError invalid(String message) {
        return new RpcError(400, "InvalidParameter", message);
    }
}
