package dev.kvsim.sla;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Unavailable minutes in the database, compacted: a minute that continues the instance's last run
 * with the same cause extends it, so a month-long outage is one row.
 */
@ApplicationScoped
public class SlaStore {

    /** A stored run, as the report reads it. */
    public record Run(long firstMinute, long endMinute, long minuteMs, Cause cause) {
    }

    @Transactional
    public void addUnavailable(String instanceId, long minute, long minuteMs, Cause cause) {
        UnavailableRunEntity last = UnavailableRunEntity
                .<UnavailableRunEntity>find("instanceId = ?1 and minuteMs = ?2 and endMinute = ?3", instanceId, minuteMs, minute)
                .firstResult();
        if (last != null && last.cause.equals(cause.kind()) && last.detail.equals(cause.detail())
                && last.excluded == cause.excluded()) {
            last.endMinute = minute + 1;
            return;
        }
        UnavailableRunEntity e = new UnavailableRunEntity();
        e.instanceId = instanceId;
        e.minuteMs = minuteMs;
        e.firstMinute = minute;
        e.endMinute = minute + 1;
        e.cause = cause.kind();
        e.detail = cause.detail();
        e.excluded = cause.excluded();
        e.persist();
    }

    /** The runs of the instance, with this minute length, that overlap [from, to). */
    @Transactional
    public List<Run> runs(String instanceId, long minuteMs, long from, long to) {
        return UnavailableRunEntity.<UnavailableRunEntity>list(
                        "instanceId = ?1 and minuteMs = ?2 and endMinute > ?3 and firstMinute < ?4 order by firstMinute",
                        instanceId, minuteMs, from, to).stream()
                .map(e -> new Run(e.firstMinute, e.endMinute, e.minuteMs, new Cause(e.cause, e.detail, e.excluded)))
                .toList();
    }

    @Transactional
    public long rowCount(String instanceId) {
        return UnavailableRunEntity.count("instanceId", instanceId);
    }

    @Transactional
    public void deleteOf(String instanceId) {
        UnavailableRunEntity.delete("instanceId", instanceId);
    }
}
