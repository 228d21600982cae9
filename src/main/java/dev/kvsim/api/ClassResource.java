package dev.kvsim.api;

import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The tier catalog. */
@Path("/api/v1/classes")
@Produces(MediaType.APPLICATION_JSON)
public class ClassResource {

    private final Catalog catalog;

    public ClassResource(Catalog catalog) {
        this.catalog = catalog;
    }

    @GET
    public List<InstanceClass> list() {
        return catalog.all();
    }

    @GET
    @Path("{name}")
    public InstanceClass get(@PathParam("name") String name) {
        return catalog.find(name).orElseThrow(() -> new ServiceError(404, "InvalidInstanceClass.NotFound",
                "The instance class '" + name + "' does not exist."));
    }
}
