package dev.kvsim.api;

import dev.kvsim.logs.LogService;
import dev.kvsim.logs.SlowLogRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** An instance's slow log, from its nodes' SLOWLOG: {@code ?from=…&to=…&node=…&keyword=…&limit=…}, oldest first. */
@Path("/api/v1/instances/{id}/slow-log")
@Produces(MediaType.APPLICATION_JSON)
public class SlowLogResource {

    private final LogService logs;

    public SlowLogResource(LogService logs) {
        this.logs = logs;
    }

    @GET
    public List<SlowLogRecord> list(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("node") String node, @QueryParam("keyword") String keyword,
                                    @QueryParam("limit") String limit) {
        return RunningLogResource.newest(logs.slowLog(id, RunningLogResource.filter(from, to, node, keyword)), limit);
    }
}
