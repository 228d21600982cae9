package dev.kvsim.api;

import dev.kvsim.core.KvsimClock;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;

/**
 * kvsim's clock, which every schedule follows (fault start and end, maintenance windows, SLA
 * minutes): read it, or move it forward so that a test or an experiment need not wait for time.
 */
@Path("/api/v1/clock")
@Produces(MediaType.APPLICATION_JSON)
public class ClockResource {

    /** A year: far enough for any schedule kvsim keeps (maintenance windows are daily, SLA months monthly). */
    private static final long MAX_ADVANCE_MS = Duration.ofDays(366).toMillis();

    private final KvsimClock clock;

    public ClockResource(KvsimClock clock) {
        this.clock = clock;
    }

    public record ClockView(Instant now) {
    }

    public record AdvanceRequest(Long durationMs) {
    }

    @GET
    public ClockView get() {
        return new ClockView(clock.now());
    }

    @POST
    @Path("/advance")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClockView advance(AdvanceRequest body) {
        if (body == null || body.durationMs() == null) {
            throw new ServiceError(400, "MissingParameter", "durationMs is required, e.g. {\"durationMs\": 3600000}.");
        }
        if (body.durationMs() < 0 || body.durationMs() > MAX_ADVANCE_MS) {
            throw ServiceError.invalid("durationMs must be between 0 and " + MAX_ADVANCE_MS
                    + " (kvsim's clock only moves forward, by a year at most at a time); got " + body.durationMs() + ".");
        }
        clock.advance(Duration.ofMillis(body.durationMs()));
        return new ClockView(clock.now());
    }
}
