package dev.kvsim.api;

import dev.kvsim.events.Event;
import dev.kvsim.events.EventStore;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** An instance's events: failovers, switchovers, faults started and ended, restarts, flushes. */
@Path("/api/v1/instances/{id}/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final InstanceStore instances;
    private final EventStore events;

    public EventResource(InstanceStore instances, EventStore events) {
        this.instances = instances;
        this.events = events;
    }

    /** {@code ?since=2026-11-25T10:00:00Z} lists only what happened from then on. */
    @GET
    public List<Event> list(@PathParam("id") String id, @QueryParam("since") String since) {
        instances.require(id);
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                from = null;
            }
            if (from == null || from.isBefore(EARLIEST) || from.isAfter(LATEST)) {
                throw ServiceError.invalid("since must be an ISO-8601 instant from 1970 to 9999, such as 2026-11-25T10:00:00Z;"
                        + " got '" + since + "'.");
            }
        }
        return events.of(id, from);
    }
}
