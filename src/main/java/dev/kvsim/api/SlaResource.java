package dev.kvsim.api;

import dev.kvsim.sla.SlaReport;
import dev.kvsim.sla.SlaService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Every instance's SLA month: {@code ?month=YYYY-MM}, {@code &format=csv} for one row per instance. */
@Path("/api/v1/sla")
public class SlaResource {

    private static final String CSV = "text/csv";

    private final SlaService sla;

    public SlaResource(SlaService sla) {
        this.sla = sla;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    public Response all(@QueryParam("month") String month, @QueryParam("format") String format) {
        List<SlaReport> reports = sla.reportAll(month);
        if (!"csv".equals(format)) {
            return Response.ok(reports, MediaType.APPLICATION_JSON).build();
        }
        StringBuilder b = new StringBuilder("instanceId,month,covered,minuteLengthSeconds,periodMinutes,unavailableMinutes,"
                + "excludedMinutes,availabilityPercent,creditPercent,creditAmount\n");
        for (SlaReport r : reports) {
            b.append(r.instanceId()).append(',').append(r.month()).append(',').append(r.covered()).append(',')
                    .append(r.minuteLengthSeconds()).append(',').append(r.periodMinutes()).append(',')
                    .append(r.unavailableMinutes()).append(',').append(r.excludedMinutes()).append(',')
                    .append(r.availabilityPercent().toPlainString()).append(',').append(r.creditPercent()).append(',')
                    .append(r.creditAmount() == null ? "" : r.creditAmount().toPlainString()).append('\n');
        }
        return Response.ok(b.toString(), CSV).build();
    }
}
