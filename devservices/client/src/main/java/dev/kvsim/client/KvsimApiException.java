package dev.kvsim.client;

/**
 * An error answer of the admin API: the HTTP status, the API's {@code code} (e.g.
 * {@code InvalidInstanceId.NotFound}, {@code IncorrectDBInstanceState}) and its message. The subclasses name
 * the status classes callers usually branch on.
 */
public class KvsimApiException extends RuntimeException {

    private final int httpStatus;
    private final String code;
    private final String requestId;

    public KvsimApiException(int httpStatus, String code, String message, String requestId) {
        super(httpStatus + " " + code + ": " + message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.requestId = requestId;
    }

    /** The exception type for an answer's status. */
    static KvsimApiException of(int status, String code, String message, String requestId) {
        return switch (status) {
            case 400 -> new BadRequest(code, message, requestId);
            case 404 -> new NotFound(code, message, requestId);
            case 409 -> new Conflict(code, message, requestId);
            case 503 -> new Unavailable(code, message, requestId);
            default -> new KvsimApiException(status, code, message, requestId);
        };
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The API's error code, e.g. {@code InvalidParameter}. */
    public String code() {
        return code;
    }

    public String requestId() {
        return requestId;
    }

    /** 400: the request was invalid; nothing changed. */
    public static final class BadRequest extends KvsimApiException {
        public BadRequest(String code, String message, String requestId) {
            super(400, code, message, requestId);
        }
    }

    /** 404: no such instance, class, account or fault. */
    public static final class NotFound extends KvsimApiException {
        public NotFound(String code, String message, String requestId) {
            super(404, code, message, requestId);
        }
    }

    /** 409: the instance's status forbids the call now (e.g. {@code IncorrectDBInstanceState}). */
    public static final class Conflict extends KvsimApiException {
        public Conflict(String code, String message, String requestId) {
            super(409, code, message, requestId);
        }
    }

    /** 503: kvsim is not ready. */
    public static final class Unavailable extends KvsimApiException {
        public Unavailable(String code, String message, String requestId) {
            super(503, code, message, requestId);
        }
    }
}
