package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;

/**
 * Builds {@link Finding}s with the provider's summary and remediation texts filled in for the
 * diagnosed account.
 */
public final class FindingFactory {

    /** Lines quoted as evidence of one finding: the deciding one and the ones just before it. */
    static final int EVIDENCE_LINES = 3;

    private final Texts texts;

    public FindingFactory(Texts texts) {
        this.texts = texts;
    }

    public Texts texts() {
        return texts;
    }

    /** Starts a finding for the account. */
    public Builder finding(Account account, Cause cause, Level level) {
        return new Builder(account, cause, level);
    }

    /** A finding from a candidate: deciding line, its time, label, host, count and alternatives. */
    public Builder finding(Account account, Candidates.Candidate c) {
        Builder b = new Builder(account, c.cause(), c.level())
                .confidence(c.resolution().confidence())
                .at(c.at())
                .alternatives(c.resolution().alternatives())
                .variant(c.resolution().variant())
                .signature(c.signature().label())
                .count(c.count());
        List<Hit> hits = c.hits();
        for (int i = hits.size() - 1; i >= 0 && i >= hits.size() - EVIDENCE_LINES; i--) {
            b.evidence(hits.get(i).item());
        }
        List<String> hosts = Hosts.extract(c.latest().text());
        if (!hosts.isEmpty()) {
            b.host(hosts.get(0));
        }
        return b;
    }

    /** Fluent builder; every setter is optional. */
    public final class Builder {
        private final Account account;
        private final Cause cause;
        private final Level level;
        private double confidence = 0.5;
        private Instant at;
        private final List<EvidenceItem> evidence = new ArrayList<>();
        private final List<Alternative> alternatives = new ArrayList<>();
        private String variant;
        private String signature;
        private String detail;
        private String host;
        private int count = 1;

        private Builder(Account account, Cause cause, Level level) {
            this.account = account;
            this.cause = cause;
            this.level = level;
        }

        public Builder confidence(double c) {
            this.confidence = Math.max(0, Math.min(1, c));
            return this;
        }

        public Builder at(Instant t) {
            this.at = t;
            return this;
        }

        public Builder evidence(EvidenceItem item) {
            if (item != null) {
                evidence.add(item);
            }
            return this;
        }

        public Builder evidence(List<EvidenceItem> items) {
            items.forEach(this::evidence);
            return this;
        }

        public Builder alternatives(List<Alternative> alts) {
            if (alts != null) {
                alternatives.addAll(alts);
            }
            return this;
        }

        public Builder alternative(Cause c, double conf) {
            alternatives.add(new Alternative(c, conf));
            return this;
        }

        public Builder variant(String v) {
            this.variant = v;
            return this;
        }

        public Builder signature(String s) {
            this.signature = s;
            return this;
        }

        public Builder detail(String d) {
            this.detail = d;
            return this;
        }

        public Builder host(String h) {
            this.host = h;
            return this;
        }

        public Builder count(int n) {
            this.count = n;
            return this;
        }

        public Finding build() {
            Texts.Rendered r = texts.render(cause, variant, this::placeholder);
            return new Finding(cause, level, confidence, at, evidence, r.summary(), r.remediation(),
                    clean(cause, alternatives));
        }

        /**
         * The value of a placeholder of the texts, or null for an unknown one. Computed on demand (all are
         * pure): a text has two or three of the eight, and formatting the others was a share of a finding.
         */
        private String placeholder(String name) {
            switch (name) {
                case "email":
                    String email = account.email() == null || account.email().isBlank() ? null : account.email().trim();
                    return email == null ? "account " + account.id() : email;
                case "domain":
                    return account.domain() == null ? "the organisation" : account.domain();
                case "provider":
                    return account.provider() != null ? account.provider()
                            : account.family() != null ? account.family().id() : "the provider";
                case "signature":
                    return signature == null ? "the provider's error" : signature;
                case "when":
                    return at == null ? "before the state change" : IsoInstant.format(at);
                case "detail":
                    return detail == null ? "" : detail;
                case "host":
                    return host == null ? "the mail server" : host;
                case "count":
                    return Integer.toString(count);
                default:
                    return null;
            }
        }
    }

    /** Alternatives without the primary cause or zero confidence, one per cause (highest confidence), best first. */
    public static List<Alternative> clean(Cause primary, List<Alternative> alts) {
        Map<Cause, Double> best = new EnumMap<>(Cause.class);
        for (Alternative a : alts) {
            if (a == null || a.cause() == null || a.cause() == primary || a.cause() == Cause.UNDETERMINED
                    || a.confidence() <= 0) {
                continue;
            }
            best.merge(a.cause(), Math.max(0, Math.min(1, a.confidence())), Math::max);
        }
        List<Alternative> out = new ArrayList<>();
        best.forEach((c, v) -> out.add(new Alternative(c, v)));
        out.sort(Comparator.comparingDouble(Alternative::confidence).reversed()
                .thenComparing(a -> a.cause().ordinal()));
        return out;
    }
}
