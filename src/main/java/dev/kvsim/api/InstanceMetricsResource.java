package dev.kvsim.api;

import dev.kvsim.core.ServiceError;
import dev.kvsim.metrics.MetricsQuery;
import dev.kvsim.metrics.MetricsResult;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/**
 * An instance's monitoring history ({@code docs/monitoring.md}):
 * {@code ?keys=UsedQPS,avgRt&from=…&to=…&interval=1s}, for the instance, a {@code shard} or a {@code node}.
 */
@Path("/api/v1/instances/{id}/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceMetricsResource {

    private final MetricsQuery metrics;

    public InstanceMetricsResource(MetricsQuery metrics) {
        this.metrics = metrics;
    }

    @GET
    public MetricsResult history(@PathParam("id") String id, @QueryParam("keys") String keys,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("interval") String interval, @QueryParam("node") String node,
                                 @QueryParam("shard") String shard) {
        Instant start = MetricsResource.instant("from", from);
        Instant end = MetricsResource.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ServiceError.invalid("from (" + start + ") must be before to (" + end + ").");
        }
        return metrics.query(id, MetricsResource.list(keys), start, end, MetricsResource.interval(interval),
                MetricsResource.blankToNull(node), MetricsResource.shard(shard));
    }
}
