package dev.kvsim.api;

import dev.kvsim.faults.FaultRequest;
import dev.kvsim.faults.FaultService;
import dev.kvsim.faults.FaultView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An instance's faults: list and inject. */
@Path("/api/v1/instances/{id}/faults")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceFaultResource {

    private final FaultService faults;

    public InstanceFaultResource(FaultService faults) {
        this.faults = faults;
    }

    @GET
    public List<FaultView> list(@PathParam("id") String id) {
        return faults.of(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("id") String id, FaultRequest request) {
        return Response.status(201).entity(faults.create(id, request)).build();
    }
}
