package io.synctriage.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.IncidentStore;

/** Incidents and cursors in memory, saved atomically (a failing save changes nothing). */
final class FakeIncidentStore implements IncidentStore {

    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private Map<String, Long> cursors = Map.of();
    final AtomicInteger saves = new AtomicInteger();
    /** The next saves fail while positive. */
    final AtomicInteger failSaves = new AtomicInteger();

    @Override
    public synchronized void save(List<Incident> changed, Map<String, Long> newCursors) {
        if (failSaves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("could not save (test)");
        }
        for (Incident i : changed) {
            incidents.put(i.id(), i);
        }
        cursors = Map.copyOf(newCursors);
        saves.incrementAndGet();
    }

    @Override
    public synchronized Map<String, Long> cursors() {
        return cursors;
    }

    @Override
    public synchronized List<Incident> active(Instant since) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if (i.status() == IncidentStatus.OPEN || !i.lastAt().isBefore(since)) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public synchronized long lastIncidentNumber() {
        long n = 0;
        for (String id : incidents.keySet()) {
            n = Math.max(n, Long.parseLong(id.substring(4)));
        }
        return n;
    }

    @Override
    public synchronized IncidentPage incidents(IncidentQuery q) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if ((q.status() == null || i.status() == q.status()) && (q.cause() == null || i.cause() == q.cause())
                    && (q.since() == null || !i.lastAt().isBefore(q.since()))) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparing(Incident::lastAt).reversed());
        return new IncidentPage(out.subList(0, Math.min(q.limit(), out.size())), null);
    }

    @Override
    public synchronized Optional<Incident> incident(String id) {
        return Optional.ofNullable(incidents.get(id));
    }

    @Override
    public synchronized List<Incident> incidentsOf(String accountId) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents.values()) {
            if (i.hasMember(accountId)) {
                out.add(i);
            }
        }
        return out;
    }

    synchronized List<Incident> all() {
        return new ArrayList<>(incidents.values());
    }
}
