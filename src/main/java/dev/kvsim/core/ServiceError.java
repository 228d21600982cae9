package dev.kvsim.core;


/** A refused control-plane call, with the service's own error code and an HTTP status. */
public final class ServiceError extends RuntimeException {

    private final int status;
    private final String code;

    public ServiceError(int status, String code, String message) {
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

    public static ServiceError invalid(String message) {
        return new ServiceError(400, "InvalidParameter", message);
    }

    public static ServiceError notFound(String instanceId) {
        return new ServiceError(404, "InvalidInstanceId.NotFound",
                "The specified instance does not exist: " + instanceId + ".");
    }

    public static ServiceError wrongState(String instanceId, Enum<?> status) {
        return new ServiceError(409, "IncorrectDBInstanceState",
                "Current DB instance state does not support this operation. Instance " + instanceId + " is " + status + ".");
    }
}
