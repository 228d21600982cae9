package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;

/**
 * Refusals in the service API's terms. The gateway's own (a missing or bad parameter) in the words of the
 * service's gateway; the services' refusals as each action answers them: an unknown instance with the action's
 * own not-found code, a call the instance's status forbids as 403 (the admin API answers 409).
 */
public final class RpcErrors {

    static final String WRONG_STATE = "IncorrectDBInstanceState";

    private RpcErrors() {
    }

    /** 400 MissingParameter. */
    public static ServiceError missing(String parameter) {
        return new ServiceError(400, "MissingParameter", "The input parameter \"" + parameter
                + "\" that is mandatory for processing this request is not supplied.");
    }

    /** 400 InvalidParameter naming the parameter and why. */
    public static ServiceError invalid(String parameter, String why) {
        return ServiceError.invalid("The specified parameter \"" + parameter + "\" is not valid: " + why);
    }

    static ServiceError forAction(ServiceError e, NotFoundCode notFound) {
        if (NotFoundCode.INSTANCE.code().equals(e.code())) {
            return new ServiceError(404, notFound.code(), e.getMessage());
        }
        if (WRONG_STATE.equals(e.code())) {
            // the service's text; the admin API's suffix names kvsim's own status, which this API maps
            return new ServiceError(403, WRONG_STATE, "Current DB instance state does not support this operation.");
        }
        return e;
    }
}
