package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;

/**
 * The services' refusals in the service API's terms: an unknown instance answers the action's own not-found
 * code, and a call the instance's status forbids is 403 (the admin API answers 409).
 */
final class ServiceErrors {

    static final String WRONG_STATE = "IncorrectDBInstanceState";

    private ServiceErrors() {
    }

    static RpcError toRpc(ServiceError e, NotFoundCode notFound) {
        if (NotFoundCode.INSTANCE.code().equals(e.code())) {
            return new RpcError(404, notFound.code(), e.getMessage());
        }
        if (WRONG_STATE.equals(e.code())) {
            // the service's text; the admin API's suffix names kvsim's own status, which this API maps
            return new RpcError(403, WRONG_STATE, "Current DB instance state does not support this operation.");
        }
        return new RpcError(e.status(), e.code(), e.getMessage());
    }
}
