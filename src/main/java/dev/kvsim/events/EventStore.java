package dev.kvsim.events;

import dev.kvsim.core.KvsimClock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The event log of every instance, in the database, timed by {@link KvsimClock}. */
@ApplicationScoped
public class EventStore {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final KvsimClock clock;
    private final ObjectMapper json;

    public EventStore(KvsimClock clock, ObjectMapper json) {
        this.clock = clock;
        this.json = json;
    }

    public Instant now() {
        return clock.now();
    }

    /** Records an event now. */
    public Event record(String instanceId, String type, Map<String, Object> details) {
        return record(instanceId, clock.now(), type, details);
    }

    @Transactional
    public Event record(String instanceId, Instant at, String type, Map<String, Object> details) {
        EventEntity e = new EventEntity();
        e.instanceId = instanceId;
        e.at = at;
        e.type = type;
        try {
            e.details = json.writeValueAsString(details);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event details are not JSON: " + ex.getMessage(), ex);
        }
        e.persist();
        Log.infof("instance %s: %s %s", instanceId, type, e.details);
        return toRecord(e);
    }

    /** The instance's events, oldest first, optionally only those at or after {@code since}. */
    @Transactional
    public List<Event> of(String instanceId, Instant since) {
        List<EventEntity> rows = since == null
                ? EventEntity.list("instanceId = ?1 order by at, id", instanceId)
                : EventEntity.list("instanceId = ?1 and at >= ?2 order by at, id", instanceId, since);
        return rows.stream().map(this::toRecord).toList();
    }

    @Transactional
    public void deleteOf(String instanceId) {
        EventEntity.delete("instanceId", instanceId);
    }

    private Event toRecord(EventEntity e) {
        try {
            return new Event(e.id, e.instanceId, e.at, e.type, json.readValue(e.details, MAP));
        } catch (JsonProcessingException ex) {
            return new Event(e.id, e.instanceId, e.at, e.type, Map.of("raw", e.details));
        }
    }
}
