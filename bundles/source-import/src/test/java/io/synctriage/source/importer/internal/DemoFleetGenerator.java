package io.synctriage.source.importer.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Generates the demo fleet ({@code src/main/resources/.../demo-fleet.ndjson}) and the expected cause of
 * each account ({@code itests/src/test/resources/demo-expectations.json}). Deterministic: a fixed seed
 * and a fixed {@link #EPOCH}; {@link DemoFleetTest} fails when the committed files differ from what this
 * class generates, and regenerates them with {@code -Ddemo.regenerate=true}.
 *
 * <p>Every time in the file is absolute, written against {@link #EPOCH} (2026-03-31T12:00:00Z); the loader
 * shifts the whole fleet so that its latest event is one hour before the load.
 *
 * <p>How the fleet keeps each diagnosis unambiguous (decision-tree.md):
 * <ul>
 * <li>Independent failures (one account, one cause) sit on their own time slots, at least 2 h apart
 *     fleet-wide, so no two of them ever form a same-moment cluster or a provider-wide window.</li>
 * <li>Their previous (re)authentication is always more than 30 days before the failure (and they have no
 *     connected/running events), so their intervals can never form a recurring (session-policy) pattern,
 *     whose period must be at most the 30-day look-back, and no Google account of theirs fails about 7
 *     days after its authorisation (the Testing-mode schedule).</li>
 * <li>The patterns (admin disconnect, CA sign-in frequency, session policy, provider-wide
 *     invalid_client, Testing mode) happen after all independent slots, each in its own time window.</li>
 * <li>Every email is unique (a same-email peer would be a successor or a refresh-token-limit case).</li>
 * </ul>
 */
final class DemoFleetGenerator {

    static final Instant EPOCH = Instant.parse("2026-03-31T12:00:00Z");
    static final String CLIENT_ID = "d3m0c1i3nt7x9q2w5e8r4t6y1";
    static final String APP_ID = "5e7a1c3b-9d2f-4a6b-8c0e-1f3a5b7d9c2e";

    /** One account's expected stored diagnosis; cause null for healthy accounts (not asserted). */
    record Expectation(String id, String email, String provider, int apiVersion, String scenario, String cause,
                       String actor) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Random random = new Random(20260331L);
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final List<Expectation> expectations = new ArrayList<>();
    private final Set<String> emails = new HashSet<>();
    private final Set<String> domains = new LinkedHashSet<>();
    private Instant latest = Instant.EPOCH;
    private int slot;

    private static final String[] FIRST = {"anna", "ben", "chloe", "dev", "elif", "femi", "greta", "hugo", "ines",
        "jonas", "kai", "lena", "marco", "nadia", "oscar", "priya", "quinn", "rosa", "sami", "tara", "umar", "vera",
        "wim", "xena", "yusuf", "zoe", "aiko", "bruno", "carla", "diego", "emma", "farid", "gwen", "hana", "ivan",
        "julia", "kofi", "lucia", "mats", "noor"};
    private static final String[] LAST = {"achterberg", "baptiste", "castillo", "dubois", "eriksen", "fontaine",
        "garcia", "haddad", "ivanova", "jansen", "kowalski", "lindqvist", "moreau", "nakamura", "okafor", "petrov",
        "quintana", "rossi", "schmidt", "tanaka", "urquhart", "vidal", "walsh", "xu", "yilmaz", "zeller"};
    private static final String[] ROLES = {"info", "office", "accounts", "sales", "support", "reception", "ops",
        "hr", "billing", "studio", "bookings", "admin"};

    // ---------------------------------------------------------------------------------------- the fleet

    static DemoFleetGenerator generate() {
        DemoFleetGenerator g = new DemoFleetGenerator();
        g.build();
        return g;
    }

    private void build() {
        // Microsoft 365 tenants
        String[] msMixed = {"contoso-legal.com", "harbourline-logistics.com", "fernhill-clinic.co.uk",
            "lanternfish-games.com", "quarrybank-dental.co.uk", "saltmarsh-architects.co.uk", "oakhurst-vets.com"};
        // Google Workspace
        String[] gw = {"lumen-and-loom.co", "big-sky-cattle.com", "copperleaf-bakery.com", "foxglove-ceramics.co.uk",
            "portree-kayaks.scot", "brightwater-schools.org"};
        // hosted IMAP ("Other") and on-premises Exchange ActiveSync
        String[] imap = {"blauwe-reiger.nl", "atelier-moreau.fr", "kestenholz-druck.ch", "bodega-olmo.es"};
        String[] eas = {"aubergine-bistro.fr", "kaapstad-dental.co.za", "quintero-dental.cl", "halvorsen-marine.no"};

        // --- independent failures: one account, one cause, each on its own slot -------------------------
        appRevokedV2(msMixed[0], "office365");
        appRevokedV2(gw[0], "gmail");
        appRevokedV3(msMixed[1]);
        appStoppedDowngrade(msMixed[2]);
        appStoppedDeleteGrant(gw[1]);
        appStoppedCancelled("yahoo.com");
        for (int i = 0; i < 3; i++) {
            uidValidity(imap[i]);
        }
        easLowInbox(eas[0], 0, "invalid");
        easLowInbox(eas[1], 2, "stopped");
        easLowInbox(eas[3], 1, "stopped");
        eas129(eas[2]);
        eas129(eas[3]);
        passwordChangedMicrosoft(msMixed[3]);
        passwordChangedMicrosoft(msMixed[4]);
        passwordChangedMicrosoft("outlook.com");
        passwordChangedImap(imap[1]);
        passwordChangedImap(imap[3]);
        passwordChangedEas(eas[0]);
        passwordChangedEas(eas[1]);
        appPasswordIcloud("icloud.com");
        appPasswordIcloud("me.com");
        appPasswordYahooV3();
        appPasswordYahooV2();
        refreshInactiveMicrosoft(msMixed[5]);
        refreshInactiveMicrosoftV3(msMixed[6]);
        refreshInactiveGoogle(gw[2]);
        conditionalAccessBlock(msMixed[0]);
        userRevokedGoogle(gw[3]);

        // --- fleet patterns, after every independent slot ---------------------------------------------
        adminDisconnect("northgate-freight.com", EPOCH.minus(Duration.ofDays(6)).plus(Duration.ofMinutes(10 * 60 + 11)));
        caSignInFrequency("kestrel-aero.com");
        sessionPolicyV3("brackwater-energy.com");
        providerWideInvalidClient(new String[] {msMixed[0], msMixed[1], msMixed[3], msMixed[5]},
                EPOCH.minus(Duration.ofDays(3)).plus(Duration.ofMinutes(14 * 60 + 2)));
        testingMode(new String[] {"gmail.com", "gmail.com", "gmail.com", gw[4], gw[5]},
                EPOCH.minus(Duration.ofDays(2)).plus(Duration.ofMinutes(9 * 60 + 40)));

        // --- healthy accounts everywhere ----------------------------------------------------------------
        healthyMany("northgate-freight.com", "office365", 6, false);
        healthyMany("kestrel-aero.com", "office365", 5, false);
        healthyMany("brackwater-energy.com", "microsoft", 4, true);
        for (String d : msMixed) {
            healthyMany(d, "office365", 9, false);
            healthyMany(d, "microsoft", 3, true);
        }
        for (String d : gw) {
            healthyMany(d, "gmail", 8, false);
            healthyMany(d, "google", 3, true);
        }
        for (String d : imap) {
            healthyMany(d, "imap", 7, false);
        }
        for (String d : eas) {
            healthyMany(d, "eas", 7, false);
        }
        healthyMany("gmail.com", "gmail", 12, false);
        healthyMany("gmail.com", "google", 5, true);
        healthyMany("outlook.com", "outlook", 6, false);
        healthyMany("hotmail.com", "hotmail", 5, false);
        healthyMany("yahoo.com", "yahoo", 5, false);
        healthyMany("icloud.com", "icloud", 5, false);
        healthyMany("me.com", "icloud", 3, false);
    }

    // -------------------------------------------------------------------------------------- scenarios

    /** Next independent failure time: 2 h 40 min apart (plus up to 20 min), from 24 days before the epoch. */
    private Instant nextSlot() {
        return EPOCH.minus(Duration.ofDays(24)).plus(Duration.ofMinutes(160L * slot++ + random.nextInt(20)))
                .truncatedTo(ChronoUnit.SECONDS).plusSeconds(random.nextInt(60));
    }

    /** An authorisation comfortably older than the 30-day look-back (35..400 days before {@code t}). */
    private Instant oldLink(Instant t) {
        return t.minus(Duration.ofDays(35 + random.nextInt(365))).truncatedTo(ChronoUnit.HOURS);
    }

    private void appRevokedV2(String domain, String provider) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, provider, "invalid", "paid", oldLink(t), null, null, null);
        apiV2(t.minus(Duration.ofHours(3)), "GET", "/threads?limit=50&in=inbox", 200, id, email, null);
        apiV2(t.minus(Duration.ofSeconds(95)), "POST", "/a/" + CLIENT_ID + "/accounts/" + id + "/revoke-all", 200, id,
                email, null);
        authLog(t.minus(Duration.ofSeconds(40)), id, email, "invalid_grant", provider.equals("gmail")
                ? "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"
                : "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, provider, 2, "app revoked the tokens (revoke-all without keep_access_token)",
                "APP_REVOKED_TOKENS", "DEVELOPER");
    }

    private void appRevokedV3(String domain) {
        Instant t = nextSlot();
        String id = v3Id();
        String email = email(domain);
        grant(id, email, "microsoft", "invalid", oldLink(t));
        apiV2(t.minus(Duration.ofMinutes(3)), "POST", "/v3/connect/revoke?token=nyl_v3_at_" + v2Id().substring(0, 12),
                200, id, email, null);
        authLog(t.minus(Duration.ofSeconds(50)), id, email, "invalid_grant",
                "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.");
        notificationV3(t, id, email, "microsoft", "grant.expired", "invalid_grant", null);
        expect(id, email, "microsoft", 3, "app revoked the token (v3 connect/revoke)", "APP_REVOKED_TOKENS", "DEVELOPER");
    }

    private void appStoppedDowngrade(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "office365", "stopped", "cancelled", oldLink(t), null, null, null);
        apiV2(t.minus(Duration.ofMinutes(2)), "POST", "/a/" + CLIENT_ID + "/accounts/" + id + "/downgrade", 200, id,
                email, null);
        syncLog(t.minus(Duration.ofSeconds(30)), id, email, "info", "sync disabled: account downgraded (cancelled)");
        deltaV2(t, id, "account.stopped", null, null);
        expect(id, email, "office365", 2, "app downgraded (cancelled) the account", "APP_STOPPED_ACCOUNT", "DEVELOPER");
    }

    private void appStoppedDeleteGrant(String domain) {
        Instant t = nextSlot();
        String id = v3Id();
        String email = email(domain);
        grant(id, email, "google", "invalid", oldLink(t));
        apiV2(t.minus(Duration.ofMinutes(4)), "DELETE", "/v3/grants/" + id, 200, id, email, null);
        notificationV3(t, id, email, "google", "grant.expired", null, null);
        expect(id, email, "google", 3, "app deleted the grant (DELETE /v3/grants/{id})", "APP_STOPPED_ACCOUNT",
                "DEVELOPER");
    }

    private void appStoppedCancelled(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "yahoo", "stopped", "cancelled", oldLink(t), null, null, null);
        syncLog(t.minus(Duration.ofSeconds(45)), id, email, "info", "sync disabled: account cancelled");
        deltaV2(t, id, "account.stopped", null, null);
        expect(id, email, "yahoo", 2, "billing_state cancelled", "APP_STOPPED_ACCOUNT", "DEVELOPER");
    }

    private void uidValidity(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "imap", "stopped", "paid", oldLink(t), null, null, null);
        String[] folders = {"INBOX", "Archive", "Sent", "INBOX", "Drafts"};
        long validity = 4000 + random.nextInt(5000);
        for (int i = 0; i < folders.length; i++) {
            syncLog(t.minus(Duration.ofMinutes(50 - 8L * i)), id, email, "warning", "folder '" + folders[i]
                    + "': UIDVALIDITY changed (was " + (validity + i) + ", now " + (validity + i + 1) + "); resyncing");
        }
        syncLog(t.minus(Duration.ofSeconds(20)), id, email, "error",
                "Resynced more than MAX_UIDINVALID_RESYNCS in a row. Stopping sync.");
        deltaV2(t, id, "account.stopped", null, null);
        expect(id, email, "imap", 2, "IMAP server changes UIDVALIDITY on every session", "IMAP_UIDVALIDITY_LOOP",
                "PROVIDER");
    }

    private void easLowInbox(String domain, int inbox, String state) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "eas", state, "paid", oldLink(t), "password", inbox, null);
        syncLog(t.minus(Duration.ofMinutes(58)), id, email, "info", "FolderSync OK: 11 folders");
        syncLog(t.minus(Duration.ofMinutes(2)), id, email, "info", "initial sync incomplete after 6 attempts");
        deltaV2(t, id, "account." + state, null, null);
        expect(id, email, "eas", 2, "EAS mailbox with " + inbox + " message(s) in the inbox", "EAS_LOW_INBOX_COUNT",
                "END_USER");
    }

    private void eas129(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "eas", "stopped", "paid", oldLink(t), "password", 1 + random.nextInt(400), null);
        syncLog(t.minus(Duration.ofMinutes(25)), id, email, "error", "POST /Microsoft-Server-ActiveSync?Cmd=FolderSync"
                + "&DeviceType=SyncService -> 200, Status=129");
        syncLog(t.minus(Duration.ofMinutes(6)), id, email, "error",
                "POST /Microsoft-Server-ActiveSync?Cmd=FolderSync -> 200, Status=129 (device blocked for this user)");
        deltaV2(t, id, "account.stopped", null, null);
        expect(id, email, "eas", 2, "Exchange device access rule blocks the sync service (Status 129)",
                "EAS_DEVICE_BLOCKED", "MAIL_ADMIN");
    }

    private void passwordChangedMicrosoft(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        String provider = domain.equals("outlook.com") ? "outlook" : "office365";
        accountV2(id, email, provider, "invalid", "paid", oldLink(t), null, null, null);
        authLog(t.minus(Duration.ofSeconds(70)), id, email, "invalid_grant",
                "AADSTS50133: Session is invalid due to expiration or recent password change.");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, provider, 2, "user changed the Microsoft password (AADSTS50133)", "PASSWORD_CHANGED",
                "END_USER");
    }

    private void passwordChangedImap(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "imap", "invalid", "paid", oldLink(t), null, null, null);
        syncLog(t.minus(Duration.ofMinutes(44)), id, email, "info", "IDLE INBOX mail." + domain + ":993 -> * 2 EXISTS");
        for (int i = 0; i < 3; i++) {
            authLog(t.minus(Duration.ofMinutes(30 - 12L * i)), id, email, null, "a" + (i + 3) + " LOGIN " + email
                    + " **** -> a" + (i + 3) + " NO [AUTHENTICATIONFAILED] Invalid credentials");
        }
        syncLog(t.minus(Duration.ofSeconds(30)), id, email, "error", "credentials rejected by server, marking account invalid");
        deltaV2(t, id, "account.invalid", null, null);
        expect(id, email, "imap", 2, "user changed the mailbox password (IMAP AUTHENTICATIONFAILED)",
                "PASSWORD_CHANGED", "END_USER");
    }

    private void passwordChangedEas(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "eas", "invalid", "paid", oldLink(t), "password", 300 + random.nextInt(2000), null);
        syncLog(t.minus(Duration.ofMinutes(17)), id, email, "error",
                "Ping https://mail." + domain + "/Microsoft-Server-ActiveSync -> HTTP/1.1 401 Unauthorized");
        syncLog(t.minus(Duration.ofMinutes(9)), id, email, "error", "FolderSync -> HTTP/1.1 401 Unauthorized");
        syncLog(t.minus(Duration.ofMinutes(1)), id, email, "error", "FolderSync -> HTTP/1.1 401 Unauthorized; giving up");
        deltaV2(t, id, "account.invalid", null, null);
        expect(id, email, "eas", 2, "user changed the Exchange password (EAS HTTP 401, basic auth)",
                "PASSWORD_CHANGED", "END_USER");
    }

    private void appPasswordIcloud(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "icloud", "invalid", "paid", oldLink(t), null, null, null);
        authLog(t.minus(Duration.ofSeconds(80)), id, email, null,
                "imap.mail.me.com:993 LOGIN " + email + " -> * NO [AUTHENTICATIONFAILED] Authentication failed.");
        deltaV2(t, id, "account.invalid", null, null);
        expect(id, email, "icloud", 2, "iCloud app-specific password revoked", "APP_PASSWORD_REQUIRED", "END_USER");
    }

    private void appPasswordYahooV3() {
        Instant t = nextSlot();
        String id = v3Id();
        String email = email("yahoo.com");
        grant(id, email, "yahoo", "invalid", oldLink(t));
        authLog(t.minus(Duration.ofSeconds(60)), id, email, null,
                "A0001 NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials (imap.mail.yahoo.com)");
        notificationV3(t, id, email, "yahoo", "grant.expired", null, null);
        expect(id, email, "yahoo", 3, "Yahoo app password revoked", "APP_PASSWORD_REQUIRED", "END_USER");
    }

    private void appPasswordYahooV2() {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email("yahoo.com");
        accountV2(id, email, "yahoo", "invalid", "paid", oldLink(t), null, null, null);
        authLog(t.minus(Duration.ofSeconds(75)), id, email, null,
                "* NO [ALERT] Application-specific password required");
        deltaV2(t, id, "account.invalid", null, null);
        expect(id, email, "yahoo", 2, "Yahoo wants an app password", "APP_PASSWORD_REQUIRED", "END_USER");
    }

    private void refreshInactiveMicrosoft(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        Instant linked = t.minus(Duration.ofDays(230));
        accountV2(id, email, "office365", "invalid", "paid", linked, null, null, t.minus(Duration.ofDays(97)));
        apiV2(t.minus(Duration.ofMinutes(12)), "POST", "/a/" + CLIENT_ID + "/accounts/" + id + "/upgrade", 200, id,
                email, null);
        authLog(t.minus(Duration.ofMinutes(1)), id, email, "invalid_grant", "AADSTS700082: The refresh token has "
                + "expired due to inactivity. The token was issued on a date more than 90 days ago and was inactive "
                + "for 90.00:00:00.");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, "office365", 2, "account re-enabled after 97 idle days (AADSTS700082)",
                "REFRESH_TOKEN_INACTIVE", "END_USER");
    }

    private void refreshInactiveMicrosoftV3(String domain) {
        Instant t = nextSlot();
        String id = v3Id();
        String email = email(domain);
        grant(id, email, "microsoft", "invalid", t.minus(Duration.ofDays(300)));
        authLog(t.minus(Duration.ofMinutes(2)), id, email, "invalid_grant", "{\"error\":\"invalid_grant\","
                + "\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\"}");
        notificationV3(t, id, email, "microsoft", "grant.expired", "invalid_grant", null);
        expect(id, email, "microsoft", 3, "grant unused for over 90 days (AADSTS700082)", "REFRESH_TOKEN_INACTIVE",
                "END_USER");
    }

    private void refreshInactiveGoogle(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "gmail", "invalid", "paid", t.minus(Duration.ofDays(323)), null, null,
                t.minus(Duration.ofDays(217)));
        apiV2(t.minus(Duration.ofMinutes(9)), "POST", "/a/" + CLIENT_ID + "/accounts/" + id + "/upgrade", 200, id, email,
                null);
        authLog(t.minus(Duration.ofSeconds(50)), id, email, "invalid_grant",
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, "gmail", 2, "Google token unused for over 6 months", "REFRESH_TOKEN_INACTIVE", "END_USER");
    }

    private void conditionalAccessBlock(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        accountV2(id, email, "office365", "invalid", "paid", oldLink(t), null, null, null);
        authLog(t.minus(Duration.ofSeconds(55)), id, email, "invalid_grant", "{\"error\": \"invalid_grant\", "
                + "\"error_description\": \"AADSTS53003: Access has been blocked by Conditional Access policies. "
                + "The access policy does not allow token issuance.\"}");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, "office365", 2, "a Conditional Access policy blocks token issuance (AADSTS53003)",
                "CONDITIONAL_ACCESS_BLOCK", "MAIL_ADMIN");
    }

    private void userRevokedGoogle(String domain) {
        Instant t = nextSlot();
        String id = v2Id();
        String email = email(domain);
        // linked two months ago and in daily use: not the six-month inactivity expiry
        accountV2(id, email, "gmail", "invalid", "paid", t.minus(Duration.ofDays(61)).truncatedTo(ChronoUnit.HOURS),
                null, null, t.minus(Duration.ofMinutes(95)));
        authLog(t.minus(Duration.ofSeconds(90)), id, email, "invalid_grant",
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");
        deltaV2(t, id, "account.invalid", "invalid_grant", null);
        expect(id, email, "gmail", 2, "user removed the app's access (bare invalid_grant, no pattern)",
                "USER_REVOKED_ACCESS", "END_USER");
    }

    /** Six accounts of one tenant invalid within 12 minutes, no specific code: the admin disconnected the app. */
    private void adminDisconnect(String domain, Instant start) {
        for (int i = 0; i < 6; i++) {
            Instant t = start.plus(Duration.ofSeconds(i * 130L + random.nextInt(40)));
            String id = v2Id();
            String email = email(domain);
            accountV2(id, email, "office365", "invalid", "paid", oldLink(t), null, null, null);
            apiV2(t.minus(Duration.ofMinutes(20 + i)), "GET", "/messages?limit=25&in=inbox", 200, id, email, null);
            syncLog(t.minus(Duration.ofSeconds(15)), id, email, "warning", "token refresh rejected; marking account invalid");
            deltaV2(t, id, "account.invalid", "invalid_grant", "token refresh failed: invalid_grant");
            expect(id, email, "office365", 2, "6 accounts of " + domain + " invalid at the same moment",
                    "ADMIN_DISCONNECTED", "MAIL_ADMIN");
        }
    }

    /**
     * Four accounts of a Microsoft tenant go invalid 12 h after each sign-in with AADSTS70043 (a
     * Conditional Access sign-in frequency of 12 h), re-authenticating the next morning each time.
     */
    private void caSignInFrequency(String domain) {
        Instant day0 = EPOCH.minus(Duration.ofDays(5));
        for (int a = 0; a < 4; a++) {
            String id = v2Id();
            String email = email(domain);
            Instant lastAuth = null;
            List<Runnable> deferred = new ArrayList<>();
            for (int cycle = 0; cycle < 3; cycle++) {
                // sign-ins at 06:10, 07:20, 08:30, 09:40 (+ the cycle's day): failures 12 h later never within 30 min
                Instant auth = day0.plus(Duration.ofDays(cycle)).plus(Duration.ofMinutes(6 * 60 + 10 + 70L * a));
                Instant fail = auth.plus(Duration.ofHours(12)).plus(Duration.ofMinutes(1 + random.nextInt(4)));
                String type = cycle == 0 ? "account.connected" : "account.running";
                deferred.add(() -> deltaV2(auth, id, type, null, null));
                deferred.add(() -> authLog(fail.minusSeconds(30), id, email, "invalid_grant", aadsts70043()));
                deferred.add(() -> deltaV2(fail, id, "account.invalid", "invalid_grant", aadsts70043()));
                lastAuth = auth;
            }
            accountV2(id, email, "office365", "invalid", "paid", lastAuth, null, null, null);
            deferred.forEach(Runnable::run);
            expect(id, email, "office365", 2, domain + ": invalid 12 h after every sign-in, AADSTS70043",
                    "CA_SIGNIN_FREQUENCY", "MAIL_ADMIN");
        }
    }

    private static String aadsts70043() {
        return "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by "
                + "conditional access. The maximum allowed lifetime for this request is 43200.";
    }

    /**
     * Four v3 Microsoft grants of one tenant expire 24 h after each re-authentication, with nothing but a
     * bare invalid_grant: a session policy, no specific code.
     */
    private void sessionPolicyV3(String domain) {
        Instant day0 = EPOCH.minus(Duration.ofDays(4));
        for (int a = 0; a < 4; a++) {
            String id = v3Id();
            String email = email(domain);
            Instant created = day0.minus(Duration.ofDays(60 + 10L * a));
            grant(id, email, "microsoft", "invalid", created);
            // re-authenticated about an hour after each expiry; the grants of the tenant stay ~75 min apart
            Instant auth = day0.plus(Duration.ofMinutes(7 * 60 + 75L * a));
            for (int cycle = 0; cycle < 3; cycle++) {
                Instant fail = auth.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(2 + random.nextInt(3)));
                grantReauthenticated(auth, id, email, "microsoft");
                authLog(fail.minusSeconds(40), id, email, "invalid_grant", "token refresh failed: invalid_grant");
                notificationV3(fail, id, email, "microsoft", "grant.expired", "invalid_grant", null);
                auth = fail.plus(Duration.ofMinutes(60)).truncatedTo(ChronoUnit.MINUTES);
            }
            expect(id, email, "microsoft", 3, domain + ": grants expire 24 h after every re-authentication",
                    "DOMAIN_SESSION_POLICY", "MAIL_ADMIN");
        }
    }

    /** The app's Azure client secret expired: Microsoft accounts of several tenants fail within 20 minutes. */
    private void providerWideInvalidClient(String[] tenants, Instant start) {
        for (int i = 0; i < tenants.length + 1; i++) {
            String domain = tenants[i % tenants.length];
            Instant t = start.plus(Duration.ofSeconds(i * 230L + random.nextInt(60)));
            boolean v3 = i == 2;
            String id = v3 ? v3Id() : v2Id();
            String email = email(domain);
            String message = "AADSTS7000222: The provided client secret keys for app '" + APP_ID
                    + "' are expired. Visit the Azure portal to create new keys for your app.";
            if (v3) {
                grant(id, email, "microsoft", "invalid", oldLink(t));
                authLog(t.minusSeconds(25), id, email, "invalid_client", message);
                notificationV3(t, id, email, "microsoft", "grant.expired", "invalid_client", message);
            } else {
                accountV2(id, email, "office365", "invalid", "paid", oldLink(t), null, null, null);
                authLog(t.minusSeconds(25), id, email, "invalid_client", message);
                deltaV2(t, id, "account.invalid", "invalid_client", message);
            }
            expect(id, email, v3 ? "microsoft" : "office365", v3 ? 3 : 2,
                    "the app's Azure client secret expired: " + (tenants.length + 1) + " accounts of "
                            + tenants.length + " tenants within 20 min", "OAUTH_CLIENT_CREDENTIALS_INVALID", "DEVELOPER");
        }
    }

    /** Google app still in Testing: every tester's token dies 7 days after their authorisation. */
    private void testingMode(String[] where, Instant firstFailure) {
        for (int i = 0; i < where.length; i++) {
            String domain = where[i];
            boolean v3 = i % 2 == 1;
            Instant fail = firstFailure.plus(Duration.ofMinutes(6L * i)).plusSeconds(random.nextInt(50));
            Instant linked = fail.minus(Duration.ofDays(7)).minus(Duration.ofMinutes(3 + random.nextInt(6)))
                    .truncatedTo(ChronoUnit.MINUTES);
            String id = v3 ? v3Id() : v2Id();
            String email = email(domain);
            String message = "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}";
            if (v3) {
                grant(id, email, "google", "invalid", linked);
                notificationV3(linked, id, email, "google", "grant.created", null, null);
                authLog(fail.minusSeconds(20), id, email, "invalid_grant", message);
                notificationV3(fail, id, email, "google", "grant.expired", "invalid_grant", message);
            } else {
                accountV2(id, email, "gmail", "invalid", "paid", linked, null, null, null);
                deltaV2(linked, id, "account.connected", null, null);
                authLog(fail.minusSeconds(20), id, email, "invalid_grant", message);
                deltaV2(fail, id, "account.invalid", "invalid_grant", message);
            }
            expect(id, email, v3 ? "google" : "gmail", v3 ? 3 : 2,
                    "Google OAuth app in Testing mode: tokens die 7 days after each authorisation",
                    "GOOGLE_APP_TESTING_MODE", "DEVELOPER");
        }
    }

    private void healthyMany(String domain, String provider, int count, boolean v3) {
        for (int i = 0; i < count; i++) {
            healthy(domain, provider, v3);
        }
    }

    /** A running account (valid grant) with ordinary traffic: a sign-in, a few syncs and API reads. */
    private void healthy(String domain, String provider, boolean v3) {
        String id = v3 ? v3Id() : v2Id();
        String email = email(domain);
        Instant linked = EPOCH.minus(Duration.ofDays(1 + random.nextInt(300))).minus(Duration.ofMinutes(random.nextInt(1440)))
                .truncatedTo(ChronoUnit.MINUTES);
        if (v3) {
            grant(id, email, provider, "valid", linked);
            if (linked.isAfter(EPOCH.minus(Duration.ofDays(30)))) {
                notificationV3(linked, id, email, provider, "grant.created", null, null);
            }
        } else {
            boolean eas = provider.equals("eas");
            accountV2(id, email, provider, "running", "paid", linked, eas ? "password" : null,
                    eas ? 40 + random.nextInt(3000) : null, EPOCH.minus(Duration.ofMinutes(70 + random.nextInt(600))));
            if (linked.isAfter(EPOCH.minus(Duration.ofDays(30)))) {
                deltaV2(linked, id, "account.connected", null, null);
                deltaV2(linked.plus(Duration.ofMinutes(4 + random.nextInt(30))), id, "account.running", null, null);
            }
        }
        int syncs = 1 + random.nextInt(3);
        for (int s = 0; s < syncs; s++) {
            Instant at = EPOCH.minus(Duration.ofMinutes(90 + random.nextInt(60 * 24 * 5))).truncatedTo(ChronoUnit.SECONDS);
            syncLog(at, id, email, "info", "sync completed: " + (1 + random.nextInt(40)) + " new message(s)");
        }
        if (random.nextInt(3) == 0) {
            Instant at = EPOCH.minus(Duration.ofMinutes(65 + random.nextInt(60 * 24 * 3))).truncatedTo(ChronoUnit.SECONDS);
            apiV2(at, "GET", v3 ? "/v3/grants/" + id + "/messages?limit=20" : "/threads?limit=50", 200, id, email, null);
        }
        expect(id, email, provider, v3 ? 3 : 2, "healthy", null, null);
    }

    // ------------------------------------------------------------------------------------- record shapes

    private void accountV2(String id, String email, String provider, String state, String billing, Instant linked,
                           String authType, Integer inbox, Instant lastActivity) {
        Map<String, Object> m = line("account");
        m.put("id", id);
        m.put("account_id", id);
        m.put("email", email);
        m.put("provider", provider);
        m.put("sync_state", state);
        m.put("billing_state", billing);
        m.put("trial", false);
        if (authType != null) {
            m.put("authentication_type", authType);
        }
        m.put("linked_at", iso(linked));
        if (inbox != null) {
            m.put("inbox_count", inbox);
        }
        if (lastActivity != null) {
            m.put("last_activity_at", iso(lastActivity));
        }
        add(m, linked);
    }

    private void grant(String id, String email, String provider, String status, Instant created) {
        Map<String, Object> m = line("account");
        m.put("id", id);
        m.put("grant_status", status);
        m.put("provider", provider);
        m.put("email", email);
        m.put("created_at", created.getEpochSecond());
        add(m, created);
    }

    /** A v2 account delta as webhooks deliver it; the demo adds the error the platform logged with it. */
    private void deltaV2(Instant at, String id, String type, String error, String message) {
        Map<String, Object> m = line("webhook");
        m.put("date", at.getEpochSecond());
        m.put("object", "account");
        m.put("type", type);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("namespace_id", id);
        data.put("account_id", id);
        data.put("object", "account");
        data.put("attributes", null);
        data.put("id", id);
        data.put("metadata", null);
        m.put("object_data", data);
        if (error != null) {
            m.put("error", error);
        }
        if (message != null) {
            m.put("message", message);
        }
        add(m, at);
    }

    /** A v3 grant.updated carrying reauthentication_flag true: a successful re-authentication. */
    private void grantReauthenticated(Instant at, String grantId, String email, String provider) {
        notificationV3(at, grantId, email, provider, "grant.updated", null, null, Boolean.TRUE);
    }

    private void notificationV3(Instant at, String grantId, String email, String provider, String type, String error,
                                String message) {
        notificationV3(at, grantId, email, provider, type, error, message, null);
    }

    private void notificationV3(Instant at, String grantId, String email, String provider, String type, String error,
                                String message, Boolean reauth) {
        Map<String, Object> m = line("webhook");
        m.put("specversion", "1.0");
        m.put("type", type);
        m.put("source", "/nylas/system");
        m.put("id", v3Id());
        m.put("time", at.getEpochSecond());
        m.put("webhook_delivery_attempt", 1);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("grant_id", grantId);
        object.put("provider", provider);
        object.put("email", email);
        object.put("code", switch (type) {
            case "grant.created" -> 25012;
            case "grant.updated" -> 25014;
            case "grant.deleted" -> 25013;
            default -> 25009;
        });
        if ("grant.expired".equals(type)) {
            object.put("grant_updated_at", at.minus(Duration.ofMinutes(55)).getEpochSecond());
        }
        if (reauth != null) {
            object.put("reauthentication_flag", reauth);
        }
        if (error != null) {
            object.put("error", error);
        }
        if (message != null) {
            object.put("message", message);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("application_id", APP_ID);
        data.put("object", object);
        m.put("data", data);
        add(m, at);
    }

    private void apiV2(Instant at, String method, String path, int status, String id, String email, Object body) {
        Map<String, Object> m = line("api_log");
        m.put("timestamp", iso(at));
        m.put("method", method);
        m.put("path", path);
        m.put("status", status);
        m.put("account_id", id);
        m.put("email", email);
        if (body != null) {
            m.put("body", body);
        }
        add(m, at);
    }

    private void authLog(Instant at, String id, String email, String error, String message) {
        Map<String, Object> m = line("auth_log");
        m.put("timestamp", iso(at));
        if (error != null) {
            m.put("error", error);
        }
        m.put("message", message);
        m.put("account_id", id);
        m.put("email", email);
        add(m, at);
    }

    private void syncLog(Instant at, String id, String email, String level, String message) {
        Map<String, Object> m = line("sync_log");
        m.put("timestamp", iso(at));
        m.put("level", level);
        m.put("message", message);
        m.put("account_id", id);
        m.put("email", email);
        add(m, at);
    }

    private static Map<String, Object> line(String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        return m;
    }

    private void add(Map<String, Object> record, Instant at) {
        if (at.isAfter(EPOCH)) {
            throw new IllegalStateException("demo record after the epoch: " + record);
        }
        if (at.isAfter(latest)) {
            latest = at;
        }
        records.add(record);
    }

    private void expect(String id, String email, String provider, int apiVersion, String scenario, String cause,
                        String actor) {
        expectations.add(new Expectation(id, email, provider, apiVersion, scenario, cause, actor));
        domains.add(email.substring(email.indexOf('@') + 1));
    }

    // ------------------------------------------------------------------------------------------- names

    private String email(String domain) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String local;
            int style = random.nextInt(4);
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            local = switch (style) {
                case 0 -> first + "." + last;
                case 1 -> first.charAt(0) + "." + last;
                case 2 -> first + last.charAt(0);
                default -> ROLES[random.nextInt(ROLES.length)];
            };
            if (domain.endsWith(".com") && isConsumer(domain) && style == 3) {
                local = first + "." + last + (10 + random.nextInt(89));
            }
            String email = local + "@" + domain;
            if (emails.add(email.toLowerCase(Locale.ROOT))) {
                return email;
            }
        }
        throw new IllegalStateException("no free email left in " + domain);
    }

    private static boolean isConsumer(String domain) {
        return Set.of("gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "me.com").contains(domain);
    }

    private String v2Id() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder(25);
        for (int i = 0; i < 25; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private String v3Id() {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL)
                | 0x8000000000000000L).toString();
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ------------------------------------------------------------------------------------------ output

    List<Expectation> expectations() {
        return expectations;
    }

    List<Map<String, Object>> records() {
        return records;
    }

    Instant latest() {
        return latest;
    }

    /** The NDJSON file: the header line, then one record per line in generation order. */
    String ndjson() throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("kind", "demo_fleet");
        header.put("format", 1);
        header.put("epoch", EPOCH.toString());
        header.put("latest", iso(latest));
        header.put("accounts", expectations.size());
        header.put("domains", domains.size());
        header.put("records", records.size());
        header.put("note", "Synthetic demo data (names, domains and ids are invented). Generated by DemoFleetGenerator "
                + "in src/test; times are absolute against 'epoch' and shifted at load time so that 'latest' lies one "
                + "hour before the load.");
        out.append(JSON.writeValueAsString(header)).append('\n');
        for (Map<String, Object> r : records) {
            out.append(JSON.writeValueAsString(r)).append('\n');
        }
        return out.toString();
    }

    /** The expectations file for the DemoFleetIT. */
    String expectationsJson() throws JsonProcessingException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("description", "Expected stored diagnosis of every demo-fleet account (generated by "
                + "bundles/source-import DemoFleetGenerator; cause null = healthy, not asserted).");
        doc.put("epoch", EPOCH.toString());
        doc.put("latest", iso(latest));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Expectation e : expectations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("email", e.email());
            m.put("provider", e.provider());
            m.put("api_version", e.apiVersion());
            m.put("scenario", e.scenario());
            m.put("cause", e.cause());
            m.put("actor", e.actor());
            list.add(m);
        }
        doc.put("accounts", list);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
    }
}
