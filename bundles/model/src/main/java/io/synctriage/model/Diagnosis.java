package io.synctriage.model;

import java.time.Instant;
import java.util.List;

/**
 * The answer to "why did this account stop?" (spec/api.md, Diagnosis).
 *
 * @param accountId     the account or grant id
 * @param email         its email, or null
 * @param state         its state as given
 * @param cause         the primary cause
 * @param actor         who must act; null for {@link Cause#UNDETERMINED}
 * @param confidence    in [0, 1]
 * @param summary       one or two sentences a support engineer can paste to a customer
 * @param remediation   ordered steps addressed to the actor
 * @param evidence      the evidence behind the cause
 * @param alternatives  other causes, best first
 * @param trace         S1..S6 then provider steps
 * @param missing       evidence that was not supplied (bundle keys such as {@code api_log}) and checks not installed
 * @param nextSteps     what to collect next to narrow the diagnosis down
 * @param checks        which provider checks were consulted
 * @param provider      provider family id, or null
 * @param stateChangeAt the state change time T the diagnosis explains
 */
public record Diagnosis(String accountId, String email, String state, Cause cause, Actor actor, double confidence,
                        String summary, List<String> remediation, List<EvidenceItem> evidence,
                        List<Alternative> alternatives, List<TraceStep> trace, List<String> missing,
                        List<String> nextSteps, Checks checks, String provider, Instant stateChangeAt) {

    public Diagnosis {
        remediation = List.copyOf(remediation);
        evidence = List.copyOf(evidence);
        alternatives = List.copyOf(alternatives);
        trace = List.copyOf(trace);
        missing = List.copyOf(missing);
        nextSteps = List.copyOf(nextSteps);
    }
}
