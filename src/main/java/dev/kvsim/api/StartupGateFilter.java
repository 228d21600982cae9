package dev.kvsim.api;

import dev.kvsim.lifecycle.StartupGate;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** 503 for every admin call while kvsim is still starting (admin-api.md "Errors": 503 not ready). */
public class StartupGateFilter {

    @ServerRequestFilter
    public Response refuseWhileStarting() {
        return StartupGate.isStarting()
                ? ErrorMappers.respond(503, "ServiceUnavailable", "kvsim is starting: its stored instances are being restored. Retry shortly.")
                : null;
    }
}
