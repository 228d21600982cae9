package dev.kvsim.api;

import dev.kvsim.core.ServiceError;
import dev.kvsim.logs.LogService;
import dev.kvsim.logs.RunningLogRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * An instance's running log: kvsim's events and its nodes' own log lines, oldest first;
 * {@code ?from=…&to=…&node=…&role=master|replica&source=kvsim|node&keyword=…&limit=…}.
 */
@Path("/api/v1/instances/{id}/running-log")
@Produces(MediaType.APPLICATION_JSON)
public class RunningLogResource {

    /** The most records one call answers, and the default. */
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_LIMIT = 1000;

    private final LogService logs;

    public RunningLogResource(LogService logs) {
        this.logs = logs;
    }

    @GET
    public List<RunningLogRecord> list(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
                                       @QueryParam("node") String node, @QueryParam("role") String role,
                                       @QueryParam("source") String source, @QueryParam("keyword") String keyword,
                                       @QueryParam("limit") String limit) {
        return newest(logs.runningLog(id, filter(from, to, node, keyword), MetricsResource.blankToNull(role),
                MetricsResource.blankToNull(source)), limit);
    }

    static LogService.Filter filter(String from, String to, String node, String keyword) {
        return new LogService.Filter(MetricsResource.instant("from", from), MetricsResource.instant("to", to),
                MetricsResource.blankToNull(node), MetricsResource.blankToNull(keyword));
    }

    /** The newest {@code limit} records (1 to 10,000; default 1,000), still oldest first. */
    static <T> List<T> newest(List<T> records, String limit) {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw ServiceError.invalid("limit must be between 1 and " + MAX_LIMIT + "; got '" + limit + "'.");
            }
        }
        return records.size() <= n ? records : records.subList(records.size() - n, records.size());
    }
}
