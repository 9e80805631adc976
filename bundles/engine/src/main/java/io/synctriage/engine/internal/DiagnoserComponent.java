package io.synctriage.engine.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.Diagnoser;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.FailureClassifier;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.LogLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.ProviderInfo;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.ProviderCheck;

/**
 * The {@link Diagnoser} service: the pure {@link TriageEngine} plus the provider checks bound right
 * now, and the {@link EvidenceReader} the data sources use (the same normaliser). Provider bundles come and go at runtime (feature install/uninstall, bundle update), so
 * checks are a dynamic multiple reference; every diagnosis reads one immutable snapshot of them.
 * It is also the {@link FailureClassifier} of the fleet detectors: one component, so that an
 * incident and a diagnosis classify a failure with the very same checks and signatures.
 */
@Component(service = {Diagnoser.class, EvidenceReader.class, FailureClassifier.class},
        configurationPid = "io.synctriage.engine", immediate = true)
@Designate(ocd = EngineConfiguration.class)
public final class DiagnoserComponent implements Diagnoser, EvidenceReader, FailureClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnoserComponent.class);

    /** Highest service ranking first (ServiceReference's natural order is ascending ranking). */
    private final Map<ServiceReference<ProviderCheck>, BoundCheck> bound =
            new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final EvidenceNormalizer normalizer = new EvidenceNormalizer(Clock.systemUTC());
    private volatile TriageEngine engine;
    /** The best check per family, rebuilt on every bind/unbind; read lock-free by diagnoses. */
    private volatile Map<ProviderFamily, BoundCheck> byFamily = Map.of();
    /**
     * Checks whose classify threw for the classifier service, warned about once each: the fleet
     * tracker classifies every failure, a broken bundle must not flood the log. Pruned on unbind.
     */
    private final Set<BoundCheck> warnedClassify = ConcurrentHashMap.newKeySet();
    /** Kept in a field: a method reference evaluated per call would allocate per call. */
    private final BiConsumer<BoundCheck, RuntimeException> classifyFailures = this::classifyFailed;

    @Activate
    public DiagnoserComponent(EngineConfiguration config) {
        this.engine = new TriageEngine(EngineSettings.from(config));
    }

    @Modified
    void modified(EngineConfiguration config) {
        this.engine = new TriageEngine(EngineSettings.from(config));
    }

    @Reference(service = ProviderCheck.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeCheck")
    void addCheck(ServiceReference<ProviderCheck> ref, ProviderCheck check) {
        bound.put(ref, new BoundCheck(check, ref.getBundle().getSymbolicName(), ref.getBundle().getVersion().toString()));
        rebuild();
    }

    void removeCheck(ServiceReference<ProviderCheck> ref) {
        bound.remove(ref);
        rebuild();
    }

    private synchronized void rebuild() {
        Map<ProviderFamily, BoundCheck> m = new EnumMap<>(ProviderFamily.class);
        for (Map.Entry<ServiceReference<ProviderCheck>, BoundCheck> e : bound.entrySet()) {
            ProviderFamily f = familyOf(e.getKey(), e.getValue().check());
            if (f != null) {
                m.putIfAbsent(f, e.getValue()); // iteration is by descending ranking: the first wins
            }
        }
        byFamily = Map.copyOf(m);
        warnedClassify.retainAll(bound.values());
    }

    private static ProviderFamily familyOf(ServiceReference<ProviderCheck> ref, ProviderCheck check) {
        Object prop = ref.getProperty(ProviderCheck.FAMILY_PROPERTY);
        ProviderFamily f = prop == null ? null : ProviderFamily.fromId(String.valueOf(prop));
        if (f == null) {
            try {
                f = check.family();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return f;
    }

    @Override
    public Evidence normalize(Map<String, ?> bundle) throws InvalidEvidenceException {
        return normalizer.normalize(bundle);
    }

    @Override
    public Account account(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.account(raw, path);
    }

    @Override
    public List<AccountEvent> notifications(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.notifications(raw, path);
    }

    @Override
    public ApiCall apiCall(Object raw, String path) throws InvalidEvidenceException {
        return normalizer.apiCall(raw, path);
    }

    @Override
    public LogLine logLine(EvidenceSource source, Object raw, String path) throws InvalidEvidenceException {
        return normalizer.logLine(source, raw, path);
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        Map<ProviderFamily, BoundCheck> checks = byFamily;
        return engine.diagnose(evidence, checks::get);
    }

    /**
     * Classifies one failure as a diagnosis classifies a peer's failure in S2/S3 (provider check of
     * the subject's family bound now, then the generic signatures). Lock-free: reads the current
     * snapshot of the checks and the engine.
     */
    @Override
    public List<Match> classify(String error, String message, Subject subject) {
        ProviderFamily family = subject == null ? null : subject.family();
        BoundCheck check = family == null ? null : byFamily.get(family);
        return engine.classifyFailure(error, message, subject, check, classifyFailures);
    }

    private void classifyFailed(BoundCheck check, RuntimeException e) {
        if (warnedClassify.add(check)) {
            LOG.warn("Provider checks {} {} failed to classify a failure; the generic signatures answer instead"
                    + " (warned once per bound check)", check.bundle(), check.version(), e);
        }
    }

    @Override
    public List<ProviderInfo> providers() {
        List<ProviderInfo> out = new ArrayList<>();
        byFamily.forEach((family, b) -> {
            List<String> names;
            try {
                names = b.check().checkNames();
            } catch (RuntimeException e) {
                names = List.of();
            }
            out.add(new ProviderInfo(family.id(), b.bundle(), b.version(), names == null ? List.of() : names));
        });
        out.sort(Comparator.comparing(ProviderInfo::family));
        return out;
    }

}
