package io.synctriage.provider.support.testing;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.util.LinkedHashMap;
import java.util.Map;

import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.ProviderReport;

/** Reading a provider check's report in tests. */
public final class Reports {

    private Reports() {
    }

    /** The trace steps by id (fails on a duplicate id). */
    public static Map<String, TraceStep> steps(ProviderReport r) {
        Map<String, TraceStep> out = new LinkedHashMap<>();
        for (TraceStep s : r.steps()) {
            if (out.put(s.step(), s) != null) {
                throw new IllegalStateException("duplicate step " + s.step());
            }
        }
        return out;
    }

    /** The best finding; fails when there is none. */
    public static Finding primary(ProviderReport r) {
        assertFalse("no finding", r.findings().isEmpty());
        return r.findings().get(0);
    }

    /** Every finding has a rendered summary and remediation, no placeholder left. */
    public static void assertTexts(ProviderReport r) {
        for (Finding f : r.findings()) {
            assertNotNull(f.summary());
            assertFalse(f.summary(), f.summary().contains("{"));
            assertFalse(f.remediation().isEmpty());
            f.remediation().forEach(s -> assertFalse(s, s.contains("{")));
        }
    }
}
