package io.synctriage.provider.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.DiagnosisMemo;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;

/**
 * The scaffolding every table-driven provider check shares: its knowledge loaded once from
 * {@code signatures.tsv} and {@code texts.properties} next to the concrete class, a load that fails
 * when a cause the table or the check's context rules can name has no customer text (so a gap
 * cannot reach a customer), {@link #classify} straight from the table, and the per-step reading
 * of code candidates. A subclass keeps only its own knowledge: steps, resolver, heuristics.
 *
 * <p>Subclasses are immutable and thread-safe once constructed.
 */
public abstract class TableProviderCheck implements ProviderCheck {

    /** Findings best first: by level, then the latest first (timeless last), then confidence. */
    private static final Comparator<Finding> FINDINGS = Comparator.comparing(Finding::level)
            .thenComparing(Finding::at, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Comparator.comparingDouble(Finding::confidence).reversed());

    private final ProviderFamily family;
    private final List<String> checkNames;
    private final SignatureTable table;
    /** Builds findings with the provider's texts. */
    protected final FindingFactory findings;

    /**
     * @param ruleTexts text keys ({@code CAUSE} or {@code CAUSE.variant}) the context rules can name
     *                  beyond the table's own causes
     * @throws IllegalStateException when a key or a cause of the table has no text
     */
    protected TableProviderCheck(ProviderFamily family, List<String> checkNames, SignatureTable table, Texts texts,
                                 Collection<String> ruleTexts) {
        this.family = family;
        this.checkNames = List.copyOf(checkNames);
        this.table = table;
        this.findings = new FindingFactory(texts);
        List<String> keys = new ArrayList<>(ruleTexts);
        table.causes().forEach(c -> keys.add(c.name()));
        texts.requireAll(keys);
    }

    /** The signature table {@code signatures.tsv} shipped next to {@code owner}, rows checked against its tags. */
    protected static SignatureTable table(Class<?> owner, Set<String> tags) {
        return SignatureTable.load(owner, "signatures.tsv", tags);
    }

    /** The customer texts {@code texts.properties} shipped next to {@code owner}. */
    protected static Texts texts(Class<?> owner) {
        return Texts.load(owner, "texts.properties");
    }

    /** The loaded table (tests read it). */
    public final SignatureTable table() {
        return table;
    }

    @Override
    public final ProviderFamily family() {
        return family;
    }

    @Override
    public final List<String> checkNames() {
        return checkNames;
    }

    /**
     * The table's rows for the line, best first. A row whose meaning depends on context (fleet
     * pattern, auth type) answers with the meaning the table gives it; {@link #check} decides the
     * single-account meaning.
     */
    @Override
    public List<Match> classify(String error, String message, Subject subject) {
        return table.classify(error, message, subject);
    }

    /** {@link #classify(String, String, Subject)}, the find kept for the check's {@link LogScan}. */
    @Override
    public List<Match> classify(String error, String message, Subject subject, DiagnosisMemo memo) {
        return SignatureTable.toMatches(KeptFinds.find(memo, table, error, message, subject).rows());
    }

    /**
     * One code step: its trace step, its candidates and how many lines logged after T would have
     * resolved to it (they never explain the account's own change, but the trace says they were seen).
     */
    protected record CodeStep(TraceStep trace, List<Candidates.Candidate> candidates, int ignoredAfterT) {
    }

    /**
     * The candidates that resolved to {@code step} (in {@link Candidates#group} order) and its trace
     * step, counting the lines after T that would have resolved to it.
     *
     * @param what what the step looks for, as a noun phrase
     */
    protected static CodeStep codeStep(String step, String what, List<Candidates.Candidate> candidates, LogScan scan,
                                       Candidates.Resolver resolver) {
        List<Candidates.Candidate> mine = new ArrayList<>();
        for (Candidates.Candidate c : candidates) {
            if (step.equals(c.resolution().step())) {
                mine.add(c);
            }
        }
        int ignored = 0;
        for (Hit h : scan.afterT()) {
            Candidates.Resolution r = resolver.resolve(h);
            if (r != null && step.equals(r.step())) {
                ignored++;
            }
        }
        return new CodeStep(CodeSteps.report(step, what, mine, scan, ignored), List.copyOf(mine), ignored);
    }

    /** Adds the plain finding of each candidate. */
    protected final void addFindings(Account account, List<Candidates.Candidate> candidates, List<Finding> out) {
        for (Candidates.Candidate c : candidates) {
            out.add(findings.finding(account, c).build());
        }
    }

    /** The report, findings ordered best first. */
    protected static ProviderReport report(List<TraceStep> steps, List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings);
        out.sort(FINDINGS);
        return new ProviderReport(steps, out);
    }
}
