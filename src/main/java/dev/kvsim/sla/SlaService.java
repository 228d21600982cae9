package dev.kvsim.sla;

import dev.kvsim.access.ProbeLogin;
import dev.kvsim.core.DaemonThreads;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.events.EventStore;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.instance.InstanceDeleted;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * SLA accounting: the probe connects to every instance as a customer would, the accountant judges
 * each finished minute (unavailable when it had attempts and all failed) and stores it with its
 * cause, and the report applies the agreement's period, exclusions and credit tiers.
 */
@ApplicationScoped
public class SlaService {

    private final SlaConfig config;
    private final AttemptLedger ledger;
    private final SlaStore store;
    private final InstanceStore instances;
    private final EventStore events;
    private final Catalog catalog;
    private final KvsimClock clock;
    private final ProbeLogin probeLogin;
    /** The probe: a health check, on real time. */
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, DaemonThreads.named("kvsim-sla"));
    /** Probes block on sockets (a stopped instance costs a timeout), one thread each. */
    private final ExecutorService probes = Executors.newCachedThreadPool(DaemonThreads.named("kvsim-sla-probe"));

    public SlaService(SlaConfig config, AttemptLedger ledger, SlaStore store, InstanceStore instances,
                      EventStore events, Catalog catalog, KvsimClock clock, ProbeLogin probeLogin) {
        this.probeLogin = probeLogin;
        this.config = config;
        this.ledger = ledger;
        this.store = store;
        this.instances = instances;
        this.events = events;
        this.catalog = catalog;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        closeAtNextMinute();
        long probe = config.probeInterval().toMillis();
        if (probe > 0) {
            timers.scheduleWithFixedDelay(this::probeAll, probe, probe, TimeUnit.MILLISECONDS);
        }
    }

    /** Each accounting minute is judged when kvsim's clock passes its end (a jump judges every minute it skipped). */
    private void closeAtNextMinute() {
        Instant next = Instant.ofEpochMilli((ledger.currentMinute() + 1) * ledger.minuteMs());
        clock.schedule(next, () -> {
            closeMinutes();
            closeAtNextMinute();
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.shutdownNow();
        probes.shutdownNow();
    }

    void onInstanceDeleted(@Observes InstanceDeleted event) {
        ledger.forget(event.instanceId());
        store.deleteOf(event.instanceId());
    }

    private void probeAll() {
        for (StoredInstance i : instances.all()) {
            if (i.status() == InstanceStatus.Creating || i.status() == InstanceStatus.Released) {
                continue;  // not yet (or no longer) the customer's instance
            }
            probes.execute(() -> ledger.attempt(i.instanceId(), SlaProbe.serves(i, probeLogin.secret())));
        }
    }

    /** Judges every finished minute; unavailable ones are stored with their cause. */
    void closeMinutes() {
        try {
            long minuteMs = ledger.minuteMs();
            for (AttemptLedger.Tally t : ledger.closeBefore(ledger.currentMinute())) {
                if (t.unavailable()) {
                    Instant start = Instant.ofEpochMilli(t.minute() * minuteMs);
                    Instant end = start.plusMillis(minuteMs);
                    Cause cause = CauseFinder.causeOf(events.of(t.instanceId(), start.minusSeconds(86_400)), start, end);
                    store.addUnavailable(t.instanceId(), t.minute(), minuteMs, cause);
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("SLA accounting: %s", e.toString());
        }
    }

    /** @param month {@code YYYY-MM}; null: the current month (kvsim's clock, UTC) */
    public SlaReport report(String instanceId, String month) {
        return report(instances.require(instanceId), parseMonth(month));
    }

    public List<SlaReport> reportAll(String month) {
        YearMonth m = parseMonth(month);
        return instances.all().stream().map(i -> report(i, m)).toList();
    }

    private YearMonth parseMonth(String month) {
        if (month == null || month.isBlank()) {
            return YearMonth.from(clock.now().atZone(ZoneOffset.UTC));
        }
        // four digits for the year: YearMonth.parse alone takes "+999999999-12", a month no instant reaches
        if (!month.matches("[0-9]{4}-[0-9]{2}")) {
            throw ServiceError.invalid("month must be YYYY-MM, e.g. 2026-11; got '" + month + "'.");
        }
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ServiceError.invalid("month must be YYYY-MM, e.g. 2026-11; got '" + month + "'.");
        }
    }

    private SlaReport report(StoredInstance i, YearMonth month) {
        long minuteMs = ledger.minuteMs();
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = i.createdAt().isAfter(monthStart) ? i.createdAt() : monthStart;
        Instant now = clock.now();
        Instant to = now.isBefore(monthEnd) ? now : monthEnd;
        long period = Math.max(0, to.toEpochMilli() - from.toEpochMilli()) / minuteMs;
        long firstMinute = Math.floorDiv(monthStart.toEpochMilli(), minuteMs);
        long endMinute = Math.floorDiv(monthEnd.toEpochMilli(), minuteMs);
        List<SlaReport.Minute> minutes = new ArrayList<>();
        long unavailable = 0;
        long excluded = 0;
        for (SlaStore.Run run : store.runs(i.instanceId(), minuteMs, firstMinute, endMinute)) {
            for (long m = Math.max(run.firstMinute(), firstMinute); m < Math.min(run.endMinute(), endMinute); m++) {
                minutes.add(new SlaReport.Minute(Instant.ofEpochMilli(m * minuteMs).toString(), run.cause().kind(),
                        run.cause().detail(), run.cause().excluded()));
                if (run.cause().excluded()) {
                    excluded++;
                } else {
                    unavailable++;
                }
            }
        }
        // a minute the instance was unavailable is part of its period even when it began before the clock says
        period = Math.max(period, unavailable + excluded);
        Optional<InstanceClass> c = catalog.find(i.instanceClass());
        boolean covered = c.map(k -> k.isDualReplica() || k.isCluster()).orElse(false);
        int credit = covered ? CreditTiers.creditPercent(period, unavailable) : 0;
        BigDecimal amount = c.map(InstanceClass::monthlyFee).filter(fee -> covered)
                .map(fee -> fee.multiply(BigDecimal.valueOf(credit)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP))
                .orElse(null);
        return new SlaReport(i.instanceId(), month.toString(), covered, minuteMs / 1000, period, unavailable, excluded,
                CreditTiers.availabilityPercent(period, unavailable), credit, amount, minutes);
    }
}
