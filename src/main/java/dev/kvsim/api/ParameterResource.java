package dev.kvsim.api;

import dev.kvsim.params.ParameterService;
import dev.kvsim.params.ParameterService.ParameterView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** An instance's parameters (DescribeParameters, ModifyInstanceConfig). */
@Path("/api/v1/instances/{id}/parameters")
@Produces(MediaType.APPLICATION_JSON)
public class ParameterResource {

    private final ParameterService parameters;

    public ParameterResource(ParameterService parameters) {
        this.parameters = parameters;
    }

    @GET
    public List<ParameterView> list(@PathParam("id") String id) {
        return parameters.list(id);
    }

    /** Body: {"maxmemory-policy": "noeviction", "hz": 20}. */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public List<ParameterView> modify(@PathParam("id") String id, Map<String, Object> changes) {
        return parameters.modify(id, changes);
    }
}
