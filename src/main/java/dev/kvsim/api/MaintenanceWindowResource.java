package dev.kvsim.api;

import dev.kvsim.ha.SwitchoverService;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.MaintenanceWindow;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The instance's daily maintenance window (ModifyInstanceMaintainTime), HH:mmZ in UTC. */
@Path("/api/v1/instances/{id}/maintenance-window")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceWindowResource {

    private final SwitchoverService switchovers;
    private final InstanceStore instances;

    public MaintenanceWindowResource(SwitchoverService switchovers, InstanceStore instances) {
        this.switchovers = switchovers;
        this.instances = instances;
    }

    @GET
    public WindowView get(@PathParam("id") String id) {
        instances.require(id);
        return WindowView.of(switchovers.windowOf(id));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public WindowView set(@PathParam("id") String id, WindowView body) {
        instances.require(id);
        if (body == null) {
            throw new ServiceError(400, "MissingParameter", "A JSON body with maintainStartTime and maintainEndTime is required.");
        }
        return WindowView.of(switchovers.setWindow(id, body.maintainStartTime(), body.maintainEndTime()));
    }

    public record WindowView(String maintainStartTime, String maintainEndTime) {
        static WindowView of(MaintenanceWindow w) {
            return new WindowView(w.startText(), w.endText());
        }
    }
}
