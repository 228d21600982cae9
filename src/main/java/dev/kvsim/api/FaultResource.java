package dev.kvsim.api;

import dev.kvsim.faults.FaultService;
import dev.kvsim.faults.FaultView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** Faults by ID, every instance's faults, and the reset of them all. */
@Path("/api/v1/faults")
@Produces(MediaType.APPLICATION_JSON)
public class FaultResource {

    private final FaultService faults;

    public FaultResource(FaultService faults) {
        this.faults = faults;
    }

    @GET
    public List<FaultView> all() {
        return faults.all();
    }

    @GET
    @Path("{faultId}")
    public FaultView get(@PathParam("faultId") String faultId) {
        return faults.get(faultId);
    }

    @DELETE
    @Path("{faultId}")
    public Response delete(@PathParam("faultId") String faultId) {
        faults.delete(faultId);
        return Response.noContent().build();
    }

    @POST
    @Path("reset")
    public Map<String, Integer> reset() {
        return Map.of("removed", faults.reset());
    }
}
