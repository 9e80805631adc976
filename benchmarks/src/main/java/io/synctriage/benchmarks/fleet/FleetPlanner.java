package io.synctriage.benchmarks.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import io.synctriage.benchmarks.fleet.FleetLayout.DomainType;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;

/**
 * Plans every record of the fleet that is not background noise: the planted incidents, the background
 * failures and the sign-ups. The background is designed so that, by the rules of decision-tree.md
 * "Definitions", no background failure forms a pattern:
 * <ul>
 * <li>a planted incident owns its domains: no other account of them ever fails (members of a provider-wide
 *     group, a Testing-mode or an inactivity schedule each get a domain of their own, or a consumer domain);</li>
 * <li>a business domain has at most two background failures, at least a day apart (no same moment needs
 *     two within 30 min, no recurring pattern needs three);</li>
 * <li>every background failure comes more than 35 days after the account's latest (re)authentication (a
 *     recurring period is at most 30 days; Testing mode is 7 days), each background account fails once, and
 *     the accounts that recover are never invalid again (no flapping);</li>
 * <li>background Microsoft and Google accounts were active hours before they failed (no inactivity), and no
 *     background line carries an inactivity code;</li>
 * <li>no background failure carries a credential error of the application's OAuth client, and the ones
 *     with a server error or a timeout are at most one per provider family in each 61-minute slot, away
 *     from the planted provider-wide groups: never three domains of one family in a 30-minute window
 *     (not even in a 60-minute one).</li>
 * </ul>
 */
final class FleetPlanner {

    static final String APP_ID = "3f6c2a71-8e4b-4d19-9a5e-0c7b1d2e4f60";
    static final String APP_NAME = "Fleet Sync";

    static final long MIN = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;
    /** Background failures come at least this long after the account's latest (re)authentication. */
    static final long MIN_REAUTH_AGE = 35 * DAY;
    /** Background server/timeout failures: at most one per provider family per slot of this length. */
    static final long SERVER_SLOT = 61 * MIN;
    /** Share of the accounts that fail once in the background. */
    static final double BACKGROUND_FAILURE_SHARE = 0.015;

    static final String GOOGLE_REVOKED = "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}";

    /** What the planner produced. */
    record Plan(List<FleetEvent> events, List<PlantedIncident> incidents, Map<Integer, AccountPlan> accounts,
                BitSet touched, int[] backgroundFailing) {
    }

    private final FleetLayout layout;
    private final FleetSpec spec;
    private final SplittableRandom rnd;
    private final long start;
    private final long now;

    private final List<FleetEvent> events = new ArrayList<>();
    private long order;
    private final Map<Integer, AccountPlan> plans = new HashMap<>();
    private final boolean[] reserved;
    private final BitSet used = new BitSet();
    private final BitSet touched = new BitSet();
    private final List<PlantedIncident> incidents = new ArrayList<>();
    private final Map<ProviderFamily, List<long[]>> providerWideWindows = new EnumMap<>(ProviderFamily.class);
    private final Map<DomainType, int[]> candidates = new EnumMap<>(DomainType.class);
    private final Map<DomainType, Integer> cursor = new EnumMap<>(DomainType.class);

    FleetPlanner(FleetLayout layout) {
        this.layout = layout;
        this.spec = layout.spec;
        this.rnd = new SplittableRandom(spec.seed() * 31 + 7);
        this.start = spec.start().getEpochSecond();
        this.now = spec.now().getEpochSecond();
        this.reserved = new boolean[spec.domains()];
        for (ProviderFamily f : ProviderFamily.values()) {
            providerWideWindows.put(f, new ArrayList<>());
        }
        for (DomainType t : DomainType.values()) {
            if (t == DomainType.CONSUMER) {
                continue;
            }
            int[] list = java.util.stream.IntStream.range(0, spec.domains())
                    .filter(d -> layout.domainType[d] == t).toArray();
            for (int i = list.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int x = list[i];
                list[i] = list[j];
                list[j] = x;
            }
            candidates.put(t, list);
            cursor.put(t, 0);
        }
    }

    Plan plan() {
        for (Scenario s : Scenario.values()) {
            for (int k = 0; k < spec.perKind(); k++) {
                switch (s.kind()) {
                    case SAME_MOMENT -> sameMoment(s, k);
                    case RECURRING -> recurring(s, k);
                    case PROVIDER_WIDE -> providerWide(s, k);
                    case SCHEDULE -> {
                        if (s == Scenario.SCHEDULE_GOOGLE_APP_TESTING_MODE) {
                            testingMode(k);
                        } else {
                            inactivity(k);
                        }
                    }
                    case FLAPPING -> flapping(k);
                    default -> throw new IllegalStateException("unplanned kind " + s.kind());
                }
            }
        }
        int[] background = backgroundFailures();
        signUps();
        events.sort(null);
        return new Plan(events, incidents, plans, touched, background);
    }

    // --------------------------------------------------------------------------------- same moment

    private void sameMoment(Scenario s, int k) {
        DomainType type = switch (s) {
            case SAME_MOMENT_ADMIN_DISCONNECTED -> k % 2 == 0 ? DomainType.MS365 : DomainType.WORKSPACE;
            case SAME_MOMENT_GOOGLE_API_ACCESS_RESTRICTED -> DomainType.WORKSPACE;
            case SAME_MOMENT_EAS_DEVICE_BLOCKED -> DomainType.EXCHANGE;
            default -> DomainType.MS365;
        };
        int m = 2 + rnd.nextInt(5);
        long t0 = anchor(2 * DAY, 2 * DAY);
        IntPredicate ok = a -> layout.linkedAt(a) <= t0 - MIN_REAUTH_AGE;
        int dom = reserveDomain(type, m, ok);
        int[] members = pickAccounts(dom, m, ok);
        long[] times = spread(t0, 20 * MIN, m);
        String domain = layout.domainName[dom];
        for (int j = 0; j < m; j++) {
            int a = members[j];
            long t = times[j];
            AccountPlan p = planted(a);
            p.lastActivityAt = t0 - between(HOUR, 30 * HOUR);
            p.endsFailed = true;
            switch (s) {
                case SAME_MOMENT_ADMIN_DISCONNECTED -> {
                    boolean google = type == DomainType.WORKSPACE;
                    String message = google ? GOOGLE_REVOKED : "token refresh failed: invalid_grant";
                    // some members logged nothing at all: the cluster alone names the cause
                    boolean logged = rnd.nextInt(10) < 7;
                    failure(a, t, "account.invalid", logged ? "invalid_grant" : null, logged ? message : null,
                            rnd.nextBoolean(), false);
                }
                case SAME_MOMENT_ADMIN_REVOKED_SESSIONS -> failure(a, t, "account.invalid", "invalid_grant",
                        "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is "
                                + "needed. The user might have changed or reset their password. The grant was issued on '"
                                + iso(layout.linkedAt(a)) + "' and the TokensValidFrom date (before which tokens are not "
                                + "valid) for this user is '" + iso(t0 - between(2 * MIN, 8 * MIN)) + "'.",
                        rnd.nextBoolean(), false);
                case SAME_MOMENT_ADMIN_CONSENT_REVOKED -> failure(a, t, "account.invalid", "invalid_grant",
                        "AADSTS65001: The user or administrator has not consented to use the application with ID '"
                                + APP_ID + "' named '" + APP_NAME + "'. Send an interactive authorization request for "
                                + "this user and resource.", rnd.nextBoolean(), false);
                case SAME_MOMENT_GOOGLE_API_ACCESS_RESTRICTED -> failure(a, t, "account.invalid",
                        "admin_policy_enforced", "{\"error\":\"admin_policy_enforced\",\"error_description\":"
                                + "\"Access to this app is blocked by your administrator.\"}", rnd.nextBoolean(), false);
                case SAME_MOMENT_EAS_DEVICE_BLOCKED -> {
                    String url = "https://mail." + domain + "/Microsoft-Server-ActiveSync";
                    syncError(a, t - between(5 * MIN, 9 * MIN), "FolderSync " + url + " -> 200, Status=129 "
                            + "(DeviceIsBlockedForThisUser)");
                    failure(a, t, "account.stopped", null, null, false, false);
                    syncError(a, t - between(20, 90), "Sync " + url + " -> 200, Status=129 (DeviceIsBlockedForThisUser)");
                }
                default -> throw new IllegalStateException(s.name());
            }
        }
        String what = switch (s) {
            case SAME_MOMENT_ADMIN_DISCONNECTED -> "no specific code";
            case SAME_MOMENT_ADMIN_REVOKED_SESSIONS -> "AADSTS50173";
            case SAME_MOMENT_ADMIN_CONSENT_REVOKED -> "AADSTS65001";
            case SAME_MOMENT_GOOGLE_API_ACCESS_RESTRICTED -> "admin_policy_enforced";
            default -> "EAS Status 129";
        };
        incident(s, s.cause(), domain, type.family, members, null, times[0], times[m - 1], m,
                m + " accounts of " + domain + " failed within " + minutes(times[m - 1] - times[0]) + " min, " + what);
    }

    // ----------------------------------------------------------------------------------- recurring

    private void recurring(Scenario s, int k) {
        DomainType type = switch (s) {
            case RECURRING_DOMAIN_SESSION_POLICY -> k % 2 == 0 ? DomainType.MS365 : DomainType.WORKSPACE;
            case RECURRING_GOOGLE_SESSION_CONTROL -> DomainType.WORKSPACE;
            default -> DomainType.MS365;
        };
        long[] periods = switch (s) {
            case RECURRING_CA_SIGNIN_FREQUENCY -> new long[] {4 * HOUR, 8 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR};
            case RECURRING_GOOGLE_SESSION_CONTROL -> new long[] {4 * HOUR, 6 * HOUR, 8 * HOUR, 12 * HOUR, 16 * HOUR,
                24 * HOUR};
            default -> new long[] {8 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 72 * HOUR};
        };
        long period = periods[rnd.nextInt(periods.length)];
        int m = 3 + rnd.nextInt(3);
        int cycles = 2 + rnd.nextInt(2);
        // consecutive accounts start further apart than the ±2 % period jitter can move them
        long stagger = Math.max(60 * MIN, period * 6 / 100 + 30 * MIN) + between(0, 20 * MIN);
        long span = (m - 1) * stagger + cycles * (period * 102 / 100 + 7 * HOUR) + HOUR;
        long t0 = anchor(2 * DAY, span + 2 * DAY);
        IntPredicate ok = a -> layout.linkedAt(a) <= t0 - MIN_REAUTH_AGE;
        int dom = reserveDomain(type, m, ok);
        int[] members = pickAccounts(dom, m, ok);
        long[][] auth = new long[m][cycles];
        long[][] fail = new long[m][cycles];
        boolean spaced = false;
        for (int attempt = 0; attempt < 500 && !spaced; attempt++) {
            long[] gap = new long[cycles];
            for (int c = 0; c < cycles; c++) {
                gap[c] = between(30 * MIN, 6 * HOUR);
            }
            for (int a = 0; a < m; a++) {
                long at = t0 + a * stagger + between(0, 5 * MIN);
                for (int c = 0; c < cycles; c++) {
                    auth[a][c] = at;
                    fail[a][c] = at + Math.round(period * (1 + (rnd.nextDouble() * 0.04 - 0.02)));
                    at = fail[a][c] + gap[c] + between(0, 10 * MIN);
                }
            }
            spaced = apart(fail, 45 * MIN);
        }
        if (!spaced) {
            throw new IllegalStateException("could not space the failures of a recurring incident apart");
        }
        String domain = layout.domainName[dom];
        List<Long> intervals = new ArrayList<>();
        for (int a = 0; a < m; a++) {
            int acc = members[a];
            AccountPlan p = planted(acc);
            p.endsFailed = true;
            p.lastActivityAt = fail[a][0] - between(10 * MIN, Math.min(period, 20 * HOUR) / 2);
            for (int c = 0; c < cycles; c++) {
                reauth(acc, auth[a][c], c == 0);
                long f = fail[a][c];
                intervals.add(f - auth[a][c]);
                switch (s) {
                    case RECURRING_CA_SIGNIN_FREQUENCY -> failure(acc, f, "account.invalid", "invalid_grant",
                            "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by "
                                    + "conditional access. The token was issued on " + iso(auth[a][c])
                                    + " and the maximum allowed lifetime for this request is " + period + ".",
                            rnd.nextBoolean(), false);
                    case RECURRING_GOOGLE_SESSION_CONTROL -> failure(acc, f, "account.invalid", "invalid_grant",
                            "{\"error\":\"invalid_grant\",\"error_description\":\"reauth related error (invalid_rapt)\","
                                    + "\"error_uri\":\"https://support.google.com/a/answer/9368756\","
                                    + "\"error_subtype\":\"invalid_rapt\"}", rnd.nextBoolean(), false);
                    default -> failure(acc, f, "account.invalid", "invalid_grant",
                            type == DomainType.WORKSPACE ? GOOGLE_REVOKED : "token refresh failed: invalid_grant",
                            rnd.nextBoolean(), false);
                }
            }
        }
        long first = Arrays.stream(fail).flatMapToLong(Arrays::stream).min().orElseThrow();
        long last = Arrays.stream(fail).flatMapToLong(Arrays::stream).max().orElseThrow();
        String code = switch (s) {
            case RECURRING_CA_SIGNIN_FREQUENCY -> ", AADSTS70043";
            case RECURRING_GOOGLE_SESSION_CONTROL -> ", invalid_rapt";
            default -> ", no specific code";
        };
        incident(s, s.cause(), domain, type.family, members, median(intervals), first, last, m * cycles,
                m + " accounts of " + domain + " invalid " + (period / HOUR) + " h after each of " + cycles
                        + " re-authentications" + code);
    }

    // ------------------------------------------------------------------------------- provider-wide

    private void providerWide(Scenario s, int k) {
        boolean credentials = s == Scenario.PROVIDER_WIDE_OAUTH_CLIENT_CREDENTIALS_INVALID;
        // One cause per family: the tracker keys a provider-wide incident by its family, so two causes in one
        // family would be one incident whose cause changes. Credential errors hit the OAuth families, outages
        // the hosted IMAP and Exchange services.
        DomainType type = credentials ? (k % 2 == 0 ? DomainType.MS365 : DomainType.WORKSPACE)
                : (k % 2 == 0 ? DomainType.HOSTED_IMAP : DomainType.EXCHANGE);
        ProviderFamily family = type.family;
        int nd = 3 + rnd.nextInt(4);
        long t0 = 0;
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long candidate = anchor(2 * DAY, 2 * DAY);
            boolean free = true;
            for (long[] w : providerWideWindows.get(family)) {
                if (candidate + 20 * MIN + 6 * HOUR >= w[0] && candidate - 6 * HOUR <= w[1]) {
                    free = false;
                    break;
                }
            }
            if (free) {
                t0 = candidate;
                break;
            }
        }
        if (t0 == 0) {
            throw new IllegalStateException("no free time for provider-wide group " + k + " of " + family
                    + ": lower perKind");
        }
        long start0 = t0;
        providerWideWindows.get(family).add(new long[] {t0 - 3 * HOUR, t0 + 20 * MIN + 3 * HOUR});
        long[] times = spread(t0, 20 * MIN, nd);
        int[] members = new int[nd];
        String hoster = (k % 4 < 2 ? "mailhost" : "hostwell") + (k / 2 + 1) + ".net";
        IntPredicate ok = a -> layout.linkedAt(a) <= start0 - MIN_REAUTH_AGE && (credentials || !layout.provider(a).v3());
        for (int j = 0; j < nd; j++) {
            int dom = reserveDomain(type, 1, ok);
            int a = pickAccounts(dom, 1, ok)[0];
            members[j] = a;
            long t = times[j];
            AccountPlan p = planted(a);
            p.endsFailed = true;
            p.lastActivityAt = t0 - between(HOUR, 30 * HOUR);
            if (family == ProviderFamily.MICROSOFT) {
                failure(a, t, "account.invalid", "invalid_client", "AADSTS7000222: The provided client secret keys "
                        + "for app '" + APP_ID + "' are expired. Visit the Azure portal to create new keys for your app: "
                        + "https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
                        + "https://aka.ms/certCreds.", rnd.nextBoolean(), false);
            } else if (family == ProviderFamily.GOOGLE) {
                boolean deleted = (k / 2) % 2 == 1;
                failure(a, t, "account.invalid", deleted ? "deleted_client" : "invalid_client", deleted
                        ? "{\"error\":\"deleted_client\",\"error_description\":\"The OAuth client was deleted.\"}"
                        : "{\"error\":\"invalid_client\",\"error_description\":\"The OAuth client was not found.\"}",
                        rnd.nextBoolean(), false);
            } else if (family == ProviderFamily.IMAP) {
                String line = "imap." + hoster + ":993 -> * BYE [UNAVAILABLE] Internal server error, please try again later";
                syncError(a, t - between(15 * MIN, 25 * MIN), line);
                syncError(a, t - between(4 * MIN, 9 * MIN), line);
                syncError(a, t - between(15, 90), line);
                failure(a, t, "account.stopped", null, null, false, false);
            } else {
                String line = "Sync https://eas." + hoster + "/Microsoft-Server-ActiveSync -> HTTP/1.1 503 Service Unavailable";
                syncError(a, t - between(15 * MIN, 25 * MIN), line);
                syncError(a, t - between(4 * MIN, 9 * MIN), line);
                syncError(a, t - between(15, 90), line);
                failure(a, t, "account.stopped", null, null, false, false);
            }
        }
        String what = switch (family) {
            case MICROSOFT -> "AADSTS7000222 (client secret expired)";
            case GOOGLE -> "invalid_client / deleted_client";
            case IMAP -> "IMAP [UNAVAILABLE] at " + hoster;
            default -> "EAS HTTP 503 at " + hoster;
        };
        incident(s, s.cause(), null, family, members, null, times[0], times[nd - 1], nd,
                nd + " " + family.id() + " accounts of " + nd + " domains within "
                        + minutes(times[nd - 1] - times[0]) + " min, " + what);
    }

    // ------------------------------------------------------------------------------------ schedules

    private void testingMode(int k) {
        int m = 2 + rnd.nextInt(3);
        long t = anchor(7 * DAY + 8 * HOUR, DAY + m * 4 * HOUR);
        int[] members = new int[m];
        long[] fails = new long[m];
        List<Long> intervals = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            if (j > 0) {
                t += between(40 * MIN, 4 * HOUR);
            }
            int a = rnd.nextBoolean() ? consumerAccount(ProviderFamily.GOOGLE, Long.MAX_VALUE)
                    : pickAccounts(reserveDomain(DomainType.WORKSPACE, 1, x -> true), 1, x -> true)[0];
            members[j] = a;
            fails[j] = t;
            long linked = t - 7 * DAY + between(0, 6 * HOUR) - 3 * HOUR;
            intervals.add(t - linked);
            AccountPlan p = planted(a);
            p.linkedAt = linked;
            p.endsFailed = true;
            p.lastActivityAt = t - between(10 * MIN, 20 * HOUR);
            failure(a, t, "account.invalid", "invalid_grant", GOOGLE_REVOKED, rnd.nextBoolean(), false);
        }
        incident(Scenario.SCHEDULE_GOOGLE_APP_TESTING_MODE, Cause.GOOGLE_APP_TESTING_MODE, null,
                ProviderFamily.GOOGLE, members, median(intervals), fails[0], fails[m - 1], m,
                m + " Google accounts invalid 7 days (± 3 h) after their authorisation, Token has been expired or revoked");
    }

    private void inactivity(int k) {
        int m = 2 + rnd.nextInt(3);
        long t = anchor(DAY, DAY + m * 5 * HOUR);
        int[] members = new int[m];
        long[] fails = new long[m];
        List<Long> idle = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            if (j > 0) {
                t += between(40 * MIN, 5 * HOUR);
            }
            int a = rnd.nextBoolean() ? consumerAccount(ProviderFamily.MICROSOFT, Long.MAX_VALUE)
                    : pickAccounts(reserveDomain(DomainType.MS365, 1, x -> true), 1, x -> true)[0];
            members[j] = a;
            fails[j] = t;
            long lastActive = t - 90 * DAY - between(HOUR, 6 * DAY);
            long linked = lastActive - between(5 * DAY, 300 * DAY);
            idle.add(t - lastActive);
            AccountPlan p = planted(a);
            p.linkedAt = linked;
            p.lastActivityAt = lastActive;
            p.endsFailed = true;
            p.silent = true; // paused: nothing logged in the 90 days before
            failure(a, t, "account.invalid", "invalid_grant", "AADSTS700082: The refresh token has expired due to "
                    + "inactivity. The token was issued on " + iso(linked) + " and was inactive for 90.00:00:00.",
                    rnd.nextBoolean(), false);
        }
        incident(Scenario.SCHEDULE_REFRESH_TOKEN_INACTIVE, Cause.REFRESH_TOKEN_INACTIVE, null,
                ProviderFamily.MICROSOFT, members, median(idle), fails[0], fails[m - 1], m,
                m + " Microsoft accounts invalid after 90+ idle days, AADSTS700082");
    }

    // ------------------------------------------------------------------------------------- flapping

    private void flapping(int k) {
        boolean ca = k % 2 == 0;
        long t0 = anchor(2 * DAY, 2 * DAY);
        int a = rnd.nextBoolean() ? consumerAccount(ProviderFamily.MICROSOFT, t0 - MIN_REAUTH_AGE)
                : pickAccounts(reserveDomain(DomainType.MS365, 1, x -> layout.linkedAt(x) <= t0 - MIN_REAUTH_AGE), 1,
                        x -> layout.linkedAt(x) <= t0 - MIN_REAUTH_AGE)[0];
        String error = ca ? "invalid_grant" : "interaction_required";
        String message = ca
                ? "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS53003: Access has been blocked by "
                        + "Conditional Access policies. The access policy does not allow token issuance.\"}"
                : "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new "
                        + "location, you must use multi-factor authentication to access "
                        + "'00000003-0000-0000-c000-000000000000'.";
        AccountPlan p = planted(a);
        p.endsFailed = true;
        p.lastActivityAt = t0 - between(HOUR, 20 * HOUR);
        int flaps = 2 + rnd.nextInt(2);
        failure(a, t0, "account.invalid", error, message, rnd.nextBoolean(), false);
        long f = t0;
        // Each flap comes a different time after its re-authentication (3-12, 20-30, 40-55 min): no three of the
        // domain's intervals agree within ±10 %, so this is never also a recurring pattern.
        long[][] bins = {{3 * MIN, 12 * MIN}, {20 * MIN, 30 * MIN}, {40 * MIN, 55 * MIN}};
        for (int c = 0; c < flaps; c++) {
            long r = f + between(HOUR, 5 * HOUR);
            reauth(a, r, false);
            f = r + between(bins[c][0], bins[c][1]);
            failure(a, f, "account.invalid", error, message, rnd.nextBoolean(), true);
        }
        Cause cause = ca ? Cause.CONDITIONAL_ACCESS_BLOCK : Cause.MFA_REQUIRED;
        incident(Scenario.FLAPPING, cause, layout.domain(a), ProviderFamily.MICROSOFT, new int[] {a}, null, t0, f,
                flaps + 1, "one account of " + layout.domain(a) + " invalid again within the hour after each of " + flaps
                        + " re-authentications, " + (ca ? "AADSTS53003" : "AADSTS50076"));
    }

    // ----------------------------------------------------------------------------------- background

    /** The kinds of single background failure. */
    private enum Trouble {
        PASSWORD, BARE_GRANT, GOOGLE_REVOKED, IMAP_AUTH, EAS_401, UIDVALIDITY, SERVER, TIMEOUT, SILENT;

        boolean serverOrNetwork() {
            return this == SERVER || this == TIMEOUT;
        }

        /** A v3 grant only expires (no "stopped"): only credential failures. */
        boolean v2Only() {
            return this == SERVER || this == TIMEOUT || this == UIDVALIDITY;
        }
    }

    private int[] backgroundFailures() {
        int n = layout.accounts();
        int target = Math.max(3, (int) Math.round(n * BACKGROUND_FAILURE_SHARE));
        Map<Integer, List<Long>> byDomain = new HashMap<>();
        Map<ProviderFamily, java.util.Set<Long>> serverSlots = new EnumMap<>(ProviderFamily.class);
        for (ProviderFamily f : ProviderFamily.values()) {
            serverSlots.put(f, new java.util.HashSet<>());
        }
        List<Integer> failing = new ArrayList<>();
        for (int attempt = 0; attempt < target * 40 && failing.size() < target; attempt++) {
            int a = rnd.nextInt(n);
            int dom = layout.domainOf(a);
            if (used.get(a) || reserved[dom]) {
                continue;
            }
            long earliest = Math.max(start + 3 * HOUR, layout.linkedAt(a) + MIN_REAUTH_AGE);
            long latest = now - 3 * HOUR;
            if (earliest >= latest) {
                continue;
            }
            long t = earliest + (long) (rnd.nextDouble() * (latest - earliest));
            Provider provider = layout.provider(a);
            Trouble trouble = trouble(provider);
            if (trouble.v2Only() && provider.v3()) {
                trouble = Trouble.SILENT;
            }
            boolean consumer = layout.consumer(a);
            List<Long> domainTimes = byDomain.computeIfAbsent(dom, d -> new ArrayList<>());
            if (!consumer) {
                if (domainTimes.size() >= 2 || domainTimes.stream().anyMatch(x -> Math.abs(x - t) < DAY)) {
                    continue;
                }
            }
            if (trouble.serverOrNetwork()) {
                long slot = (t - start) / SERVER_SLOT;
                boolean nearGroup = providerWideWindows.get(provider.family()).stream()
                        .anyMatch(w -> t >= w[0] - HOUR && t <= w[1] + HOUR);
                if (nearGroup || !serverSlots.get(provider.family()).add(slot)) {
                    continue;
                }
            }
            if (!consumer) {
                domainTimes.add(t);
            }
            used.set(a);
            failing.add(a);
            backgroundFailure(a, t, trouble);
        }
        return failing.stream().mapToInt(Integer::intValue).toArray();
    }

    private Trouble trouble(Provider p) {
        double u = rnd.nextDouble();
        return switch (p.family()) {
            case MICROSOFT -> u < 0.35 ? Trouble.PASSWORD : u < 0.55 ? Trouble.BARE_GRANT : u < 0.70 ? Trouble.SERVER
                    : Trouble.SILENT;
            case GOOGLE -> u < 0.45 ? Trouble.GOOGLE_REVOKED : u < 0.60 ? Trouble.SERVER : Trouble.SILENT;
            case IMAP -> u < 0.40 ? Trouble.IMAP_AUTH : u < 0.55 ? Trouble.UIDVALIDITY : u < 0.70 ? Trouble.SERVER
                    : u < 0.80 ? Trouble.TIMEOUT : Trouble.SILENT;
            case EAS -> u < 0.45 ? Trouble.EAS_401 : u < 0.65 ? Trouble.SERVER : u < 0.75 ? Trouble.TIMEOUT
                    : Trouble.SILENT;
        };
    }

    private void backgroundFailure(int a, long t, Trouble trouble) {
        AccountPlan p = plan(a);
        p.lastActivityAt = t - between(HOUR, 30 * HOUR);
        String domain = layout.domain(a);
        String email = layout.email(a);
        ProviderFamily family = layout.provider(a).family();
        switch (trouble) {
            case PASSWORD -> failure(a, t, "account.invalid", "invalid_grant",
                    "AADSTS50133: Session is invalid due to expiration or recent password change.", rnd.nextBoolean(), false);
            case BARE_GRANT -> failure(a, t, "account.invalid", "invalid_grant", "token refresh failed: invalid_grant",
                    rnd.nextBoolean(), false);
            case GOOGLE_REVOKED -> failure(a, t, "account.invalid", "invalid_grant", GOOGLE_REVOKED, rnd.nextBoolean(),
                    false);
            case IMAP_AUTH -> {
                authError(a, t - between(20, 240), null, "a3 LOGIN " + email + " **** -> a3 NO [AUTHENTICATIONFAILED] "
                        + "Invalid credentials (Failure)");
                failure(a, t, "account.invalid", null, null, false, false);
            }
            case EAS_401 -> {
                String url = "https://mail." + domain + "/Microsoft-Server-ActiveSync";
                syncError(a, t - between(10 * MIN, 30 * MIN), "FolderSync " + url + " -> HTTP/1.1 401 Unauthorized");
                syncError(a, t - between(20, 240), "FolderSync " + url + " -> HTTP/1.1 401 Unauthorized; giving up");
                failure(a, t, "account.invalid", null, null, false, false);
            }
            case UIDVALIDITY -> {
                long validity = 4_000 + rnd.nextInt(50_000);
                String[] folders = {"INBOX", "Archive", "Sent"};
                for (int i = 0; i < folders.length; i++) {
                    events.add(FleetEvent.syncLog(t - (50 - 15L * i) * MIN, order++, a, "warning", "folder '"
                            + folders[i] + "': UIDVALIDITY changed (was " + (validity + i) + ", now " + (validity + i + 1)
                            + "); resyncing"));
                }
                syncError(a, t - between(15, 90), "Resynced more than MAX_UIDINVALID_RESYNCS in a row. Stopping sync.");
                failure(a, t, "account.stopped", null, null, false, false);
            }
            case SERVER -> {
                String line = switch (family) {
                    case MICROSOFT -> "GET https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta -> "
                            + "503 Service Unavailable";
                    case GOOGLE -> "GET https://gmail.googleapis.com/gmail/v1/users/me/history -> 503 backendError";
                    case IMAP -> "imap." + domain + ":993 -> * BYE [UNAVAILABLE] Internal server error, please try again later";
                    default -> "Sync https://mail." + domain + "/Microsoft-Server-ActiveSync -> HTTP/1.1 503 Service Unavailable";
                };
                syncError(a, t - between(20 * MIN, 40 * MIN), line);
                syncError(a, t - between(20, 240), line);
                failure(a, t, "account.stopped", null, null, false, false);
            }
            case TIMEOUT -> {
                String line = family == ProviderFamily.EAS
                        ? "Ping https://mail." + domain + "/Microsoft-Server-ActiveSync -> connection timed out"
                        : "connect to imap." + domain + ":993 timed out after 30000 ms";
                syncError(a, t - between(20 * MIN, 40 * MIN), line);
                syncError(a, t - between(20, 240), line);
                failure(a, t, "account.stopped", null, null, false, false);
            }
            case SILENT -> failure(a, t, "account.invalid", null, null, false, false);
            default -> throw new IllegalStateException(trouble.name());
        }
        // Half of them are fixed later (re-authenticated or restarted) and never fail again.
        if (rnd.nextBoolean()) {
            long back = t + between(2 * HOUR, 10 * DAY);
            if (back < now - HOUR) {
                reauth(a, back, false);
                p.endsFailed = false;
                return;
            }
        }
        p.endsFailed = true;
    }

    // ------------------------------------------------------------------------------------- sign-ups

    /** Accounts authorised inside the window announce it: account.connected (v2) or grant.created (v3). */
    private void signUps() {
        for (int a = 0; a < layout.accounts(); a++) {
            AccountPlan p = plans.get(a);
            long linked = p != null && p.linkedAt != null ? p.linkedAt : layout.linkedAt(a);
            if (linked >= start) {
                String type = layout.provider(a).v3() ? "grant.created" : "account.connected";
                events.add(FleetEvent.webhook(linked, order++, a, type, null, null, null, null));
                touched.set(a);
            }
        }
    }

    // -------------------------------------------------------------------------------------- records

    /**
     * The failure of account {@code a} at {@code t}: an auth-log line with the error shortly before (when
     * {@code error} or {@code message} is given), then the notification (v2 {@code v2Type}, v3 grant.expired),
     * carrying the error too when {@code inWebhook}.
     */
    private void failure(int a, long t, String v2Type, String error, String message, boolean inWebhook,
                         boolean soonAfterReauth) {
        if (error != null || message != null) {
            // right after a re-authentication the line must still come after it
            long before = soonAfterReauth ? between(5, 40) : between(10, 90);
            authError(a, t - before, error, message);
        }
        boolean v3 = layout.provider(a).v3();
        events.add(FleetEvent.webhook(t, order++, a, v3 ? "grant.expired" : v2Type, inWebhook ? error : null,
                inWebhook ? message : null, null, v3 ? lastAuth(a) : null));
        plan(a).busy(t);
        touched.set(a);
    }

    private void authError(int a, long t, String error, String message) {
        events.add(FleetEvent.authLog(t, order++, a, "error", error, message));
        plan(a).busy(t);
    }

    private void syncError(int a, long t, String message) {
        events.add(FleetEvent.syncLog(t, order++, a, "error", message));
        plan(a).busy(t);
    }

    /** A successful (re)authentication or restart: account.connected/running (v2), grant.updated (v3). */
    private void reauth(int a, long t, boolean connected) {
        boolean v3 = layout.provider(a).v3();
        String type = v3 ? "grant.updated" : connected ? "account.connected" : "account.running";
        events.add(FleetEvent.webhook(t, order++, a, type, null, null, v3 ? Boolean.TRUE : null, null));
        AccountPlan p = plan(a);
        p.busy(t);
        p.lastAuthAt = t;
        touched.set(a);
    }

    /** The latest authorisation the store knows before now for a v3 grant (its grant_updated_at). */
    private long lastAuth(int a) {
        AccountPlan p = plan(a);
        if (p.lastAuthAt != null) {
            return p.lastAuthAt;
        }
        return p.linkedAt != null ? p.linkedAt : layout.linkedAt(a);
    }

    // ------------------------------------------------------------------------------------- helpers

    private AccountPlan plan(int a) {
        return plans.computeIfAbsent(a, x -> new AccountPlan());
    }

    private AccountPlan planted(int a) {
        if (used.get(a)) {
            throw new IllegalStateException("account " + a + " planted twice");
        }
        used.set(a);
        AccountPlan p = plan(a);
        p.planted = true;
        return p;
    }

    private void incident(Scenario s, Cause cause, String domain, ProviderFamily family, int[] members, Long period,
                          long first, long last, int failures, String description) {
        List<String> ids = new ArrayList<>();
        TreeSet<String> domains = new TreeSet<>();
        for (int a : members) {
            ids.add(layout.id(a));
            domains.add(layout.domain(a));
        }
        String id = String.format("P%04d", incidents.size() + 1);
        incidents.add(new PlantedIncident(id, s, s.kind(), cause, domain, new ArrayList<>(domains), family, ids, period,
                Instant.ofEpochSecond(first), Instant.ofEpochSecond(last), failures, description));
    }

    /** A free business domain of this type with at least {@code need} free accounts that pass {@code ok}. */
    private int reserveDomain(DomainType type, int need, IntPredicate ok) {
        int[] list = candidates.get(type);
        for (int pos = cursor.get(type); pos < list.length; pos++) {
            int d = list[pos];
            if (reserved[d]) {
                continue;
            }
            int count = 0;
            for (int r = layout.domainStart[d]; r < layout.domainStart[d + 1] && count < need; r++) {
                int a = layout.accountsByDomain[r];
                if (!used.get(a) && ok.test(a)) {
                    count++;
                }
            }
            if (count >= need) {
                reserved[d] = true;
                // domains skipped here may suit a smaller need later: only a used one moves the cursor
                if (pos == cursor.get(type)) {
                    cursor.put(type, pos + 1);
                }
                return d;
            }
        }
        throw new IllegalStateException("the fleet is too small for " + spec.perKind() + " planted incidents per "
                + "kind: no free " + type + " domain with " + need + " suitable accounts left (raise accounts/domains "
                + "or lower perKind)");
    }

    /** {@code m} distinct random accounts of domain {@code d} that are free and pass {@code ok}. */
    private int[] pickAccounts(int d, int m, IntPredicate ok) {
        List<Integer> suitable = new ArrayList<>();
        for (int r = layout.domainStart[d]; r < layout.domainStart[d + 1]; r++) {
            int a = layout.accountsByDomain[r];
            if (!used.get(a) && ok.test(a)) {
                suitable.add(a);
            }
        }
        if (suitable.size() < m) {
            throw new IllegalStateException("domain " + layout.domainName[d] + " has " + suitable.size()
                    + " suitable accounts, " + m + " needed");
        }
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(suitable.size() - i);
            Integer x = suitable.get(i);
            suitable.set(i, suitable.get(j));
            suitable.set(j, x);
            out[i] = suitable.get(i);
        }
        return out;
    }

    /** A free account of this family on a consumer domain, linked at or before {@code linkedBefore}. */
    private int consumerAccount(ProviderFamily family, long linkedBefore) {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            int d = rnd.nextInt(layout.consumerDomains);
            if (layout.domainSize[d] == 0) {
                continue;
            }
            int a = layout.accountsByDomain[layout.domainStart[d] + rnd.nextInt(layout.domainSize[d])];
            if (!used.get(a) && layout.provider(a).family() == family && layout.linkedAt(a) <= linkedBefore) {
                return a;
            }
        }
        throw new IllegalStateException("no free consumer " + family.id() + " account left: the fleet is too small");
    }

    /** A random time in [start + lead, now - tail]. */
    private long anchor(long lead, long tail) {
        long from = start + lead;
        long to = now - tail;
        if (to <= from) {
            throw new IllegalStateException("the window (" + spec.days() + " days) is too short for a planted incident");
        }
        return from + (long) (rnd.nextDouble() * (to - from));
    }

    /** {@code m} distinct sorted seconds in [t0, t0 + span], the first exactly t0. */
    private long[] spread(long t0, long span, int m) {
        TreeSet<Long> set = new TreeSet<>();
        set.add(t0);
        while (set.size() < m) {
            set.add(t0 + 1 + (long) (rnd.nextDouble() * span));
        }
        return set.stream().mapToLong(Long::longValue).toArray();
    }

    private long between(long lo, long hi) {
        return lo + (long) (rnd.nextDouble() * (hi - lo));
    }

    /** Whether failures of different accounts are all at least {@code gap} apart. */
    private static boolean apart(long[][] fail, long gap) {
        for (int a = 0; a < fail.length; a++) {
            for (int b = a + 1; b < fail.length; b++) {
                for (long x : fail[a]) {
                    for (long y : fail[b]) {
                        if (Math.abs(x - y) < gap) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long minutes(long seconds) {
        return Math.round(seconds / 60.0);
    }

    static String iso(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }
}
