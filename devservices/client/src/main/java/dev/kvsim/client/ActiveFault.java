package dev.kvsim.client;

import com.fasterxml.jackson.core.type.TypeReference;

/** An injected fault. {@link #close()} removes it (a no-op when it has already ended), for try-with-resources. */
public final class ActiveFault implements AutoCloseable {

    private final AdminHttp http;
    private final Fault fault;

    ActiveFault(AdminHttp http, Fault fault) {
        this.http = http;
        this.fault = fault;
    }

    public String faultId() {
        return fault.faultId();
    }

    /** The fault as kvsim accepted it. */
    public Fault fault() {
        return fault;
    }

    /** The fault as kvsim reports it now (status Pending, Active or Ended); NotFound once removed. */
    public Fault current() {
        return http.get("/api/v1/faults/" + fault.faultId(), new TypeReference<>() { });
    }

    /** Removes the fault: network and command faults stop at once, a paused node resumes. */
    @Override
    public void close() {
        try {
            http.send("DELETE", "/api/v1/faults/" + fault.faultId(), null);
        } catch (KvsimApiException.NotFound gone) {
            // its instance was deleted, and the fault with it
        }
    }
}
