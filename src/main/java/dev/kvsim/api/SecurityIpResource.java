package dev.kvsim.api;

import dev.kvsim.access.SecurityIpGroup;
import dev.kvsim.access.SecurityIpService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** An instance's whitelist (DescribeSecurityIps, ModifySecurityIps). */
@Path("/api/v1/instances/{id}/security-ips")
@Produces(MediaType.APPLICATION_JSON)
public class SecurityIpResource {

    private final SecurityIpService securityIps;

    public SecurityIpResource(SecurityIpService securityIps) {
        this.securityIps = securityIps;
    }

    @GET
    public List<SecurityIpGroup> list(@PathParam("id") String id) {
        return securityIps.list(id);
    }

    /** Replaces every group: [{"name": "default", "ips": ["127.0.0.1", "10.0.0.0/8"]}]. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public List<SecurityIpGroup> replace(@PathParam("id") String id, List<SecurityIpGroup> groups) {
        return securityIps.replaceAll(id, groups);
    }

    public record GroupChange(List<String> ips, String mode) {
    }

    /** Changes one group: {"ips": [...], "mode": "Cover"|"Append"|"Delete"} (Cover when absent). */
    @PUT
    @Path("{group}")
    @Consumes(MediaType.APPLICATION_JSON)
    public List<SecurityIpGroup> modify(@PathParam("id") String id, @PathParam("group") String group,
                                        GroupChange change) {
        if (change == null) {
            throw new dev.kvsim.core.ServiceError(400, "MissingParameter",
                    "A JSON body {\"ips\": [...], \"mode\": \"Cover\"|\"Append\"|\"Delete\"} is required.");
        }
        return securityIps.modifyGroup(id, group, change.ips(), change.mode());
    }
}
