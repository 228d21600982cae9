package dev.kvsim.api;

import dev.kvsim.ha.SwitchoverRequest;
import dev.kvsim.ha.SwitchoverService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Switchover on request (SwitchInstanceHA). */
@Path("/api/v1/instances/{id}/switchover")
@Produces(MediaType.APPLICATION_JSON)
public class SwitchoverResource {

    private final SwitchoverService switchovers;

    public SwitchoverResource(SwitchoverService switchovers) {
        this.switchovers = switchovers;
    }

    /** 200 with the switch's details when done now; 202 when it waits for the maintenance window. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response switchover(@PathParam("id") String id, SwitchoverRequest request) {
        Map<String, Object> result = switchovers.request(id, request);
        return Response.status("Scheduled".equals(result.get("status")) ? 202 : 200).entity(result).build();
    }
}
