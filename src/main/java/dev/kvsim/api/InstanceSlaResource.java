package dev.kvsim.api;

import dev.kvsim.sla.SlaReport;
import dev.kvsim.sla.SlaService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


/** One instance's SLA month: {@code ?month=YYYY-MM}, {@code &format=csv} for its unavailable minutes. */
@Path("/api/v1/instances/{id}/sla")
public class InstanceSlaResource {

    private static final String CSV = "text/csv";

    private final SlaService sla;

    public InstanceSlaResource(SlaService sla) {
        this.sla = sla;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    public Response instance(@PathParam("id") String id, @QueryParam("month") String month,
                             @QueryParam("format") String format) {
        SlaReport r = sla.report(id, month);
        if (!"csv".equals(format)) {
            return Response.ok(r, MediaType.APPLICATION_JSON).build();
        }
        StringBuilder b = new StringBuilder("minute,cause,detail,excluded\n");
        r.minutes().forEach(m -> b.append(m.minute()).append(',').append(m.cause()).append(',')
                .append(quote(m.detail())).append(',').append(m.excluded()).append('\n'));
        return Response.ok(b.toString(), CSV).build();
    }

    /** A CSV field: quoted, quotes doubled. */
    static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
