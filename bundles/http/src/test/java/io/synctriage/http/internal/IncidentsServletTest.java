package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;
import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.testing.InMemoryFleetIncidents;

public class IncidentsServletTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private InMemoryFleetIncidents incidents;
    private IncidentsServlet servlet;

    @Before
    public void setUp() {
        incidents = new InMemoryFleetIncidents().add(InMemoryFleetIncidents.recurring()).add(InMemoryFleetIncidents.providerWide());
        servlet = new IncidentsServlet(Clock.fixed(NOW, ZoneOffset.UTC));
        servlet.bindIncidents(incidents);
    }

    private Res get(String pathInfo, Map<String, String[]> parameters) throws IOException {
        return call("GET", pathInfo, parameters);
    }

    private Res call(String method, String pathInfo, Map<String, String[]> parameters) throws IOException {
        Req request = new Req(method, ApiContext.INCIDENTS_PATH + (pathInfo == null ? "" : pathInfo))
                .mappedAt(ApiContext.INCIDENTS_PATH, pathInfo);
        when(request.mock.getParameterMap()).thenReturn(parameters);
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        return response;
    }

    private Res list(String... keyValues) throws IOException {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], new String[] {keyValues[i + 1]});
        }
        return get(null, parameters);
    }

    private static void assertError(Res response, int status, String code) {
        assertEquals(response.text(), status, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals(response.text(), code, response.json().path("error").asText());
        assertTrue(response.text(), response.json().path("message").asText().length() > 10);
        assertFalse(response.text(), response.text().contains("Exception"));
    }

    private static void assertBadParameter(Res response, String field) {
        assertError(response, 400, "invalid_parameter");
        assertEquals(response.text(), field, response.json().path("field").asText());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String ids(Res response) {
        List<String> ids = new ArrayList<>();
        response.json().path("incidents").forEach(i -> ids.add(i.path("id").asText()));
        return String.join(",", ids);
    }

    // ------------------------------------------------------------------------------------------------ shape

    @Test
    public void listsIncidentsLatestFirstWithTheContractShape() throws IOException {
        Res response = list();
        assertEquals(response.text(), 200, response.status);
        assertEquals(List.of("incidents", "next"), names(response.json()));
        assertTrue(response.text(), response.json().path("next").isNull());
        assertEquals("inc-000002,inc-000001", ids(response));

        JsonNode wide = response.json().path("incidents").get(0);
        assertEquals("the contract fields first, in the order of spec/api.md, then the additions",
                List.of("id", "domain", "domains", "provider", "cause", "status", "period_seconds", "accounts",
                        "first_at", "last_at", "kind", "actor", "family", "tolerance_seconds", "closed_at",
                        "reopen_count", "summary", "signatures", "evidence", "updated_at"), names(wide));
        assertTrue("a provider-wide incident has domain null: " + wide, wide.path("domain").isNull());
        assertEquals("[\"alder-labs.com\",\"birch-legal.com\",\"cedar-ops.com\"]", wide.path("domains").toString());
        assertEquals("office365", wide.path("provider").asText());
        assertEquals("OAUTH_CLIENT_CREDENTIALS_INVALID", wide.path("cause").asText());
        assertEquals("open", wide.path("status").asText());
        assertTrue("no period for a provider-wide pattern", wide.path("period_seconds").isNull());
        assertEquals("2026-11-20T09:00:00Z", wide.path("first_at").asText());
        assertEquals("2026-11-20T09:18:00Z", wide.path("last_at").asText());
        assertEquals("provider_wide", wide.path("kind").asText());
        assertEquals("DEVELOPER", wide.path("actor").asText());
        assertEquals("microsoft", wide.path("family").asText());
        assertTrue(wide.path("closed_at").isNull());
        assertEquals(0, wide.path("reopen_count").asInt(-1));
        assertEquals("[\"AADSTS7000215\"]", wide.path("signatures").toString());
        assertEquals(List.of("source", "timestamp", "text"), names(wide.path("evidence").get(0)));
        assertEquals("2026-11-20T09:07:00Z", wide.path("evidence").get(1).path("timestamp").asText());

        assertEquals(3, wide.path("accounts").size());
        JsonNode ada = wide.path("accounts").get(0);
        assertEquals(List.of("id", "email", "provider", "failed_at", "last_failed_at", "failures", "signature",
                "interval_seconds"), names(ada));
        assertEquals("acc-ada", ada.path("id").asText());
        assertEquals("ada@alder-labs.com", ada.path("email").asText());
        assertEquals("office365", ada.path("provider").asText());
        assertEquals("2026-11-20T09:00:00Z", ada.path("failed_at").asText());
        assertEquals("AADSTS7000215", ada.path("signature").asText());
        assertTrue(ada.path("interval_seconds").isNull());
    }

    @Test
    public void aRecurringIncidentHasItsPeriod() throws IOException {
        JsonNode recurring = list().json().path("incidents").get(1);
        assertEquals("kestrel-aero.com", recurring.path("domain").asText());
        assertEquals(43_200, recurring.path("period_seconds").asLong());
        assertEquals(600, recurring.path("tolerance_seconds").asLong());
        assertEquals("recurring", recurring.path("kind").asText());
        assertEquals("closed", recurring.path("status").asText());
        assertEquals("MAIL_ADMIN", recurring.path("actor").asText());
        assertEquals("2026-11-19T20:05:00Z", recurring.path("closed_at").asText());
        assertEquals(2, recurring.path("reopen_count").asInt());
        JsonNode kim = recurring.path("accounts").get(0);
        assertEquals(4, kim.path("failures").asInt());
        assertEquals("2026-11-18T20:05:00Z", kim.path("last_failed_at").asText());
        assertEquals(43_500, kim.path("interval_seconds").asLong());
        JsonNode lu = recurring.path("accounts").get(1);
        assertTrue("unknown values are null, not left out: " + lu, lu.has("email") && lu.path("email").isNull());
        assertTrue(lu.path("signature").isNull());
        assertEquals("[]", recurring.path("evidence").toString());
    }

    @Test
    public void oneIncidentHasTheSameShapeAsInTheList() throws IOException {
        Res one = get("/inc-000001", Map.of());
        assertEquals(one.text(), 200, one.status);
        assertEquals(list().json().path("incidents").get(1), one.json());
    }

    @Test
    public void anUndeterminedCauseHasANullActor() throws IOException {
        incidents.incidents.clear();
        incidents.add(new io.synctriage.model.Incident("inc-000009", io.synctriage.model.spi.PatternKind.SAME_MOMENT,
                Cause.UNDETERMINED, "contoso.com", List.of("contoso.com"), null, "imap", IncidentStatus.OPEN, null,
                null, NOW, NOW, null, 0, List.of(), List.of(), "2 accounts of contoso.com invalid within 1 min",
                List.of(), NOW));
        JsonNode json = get("/inc-000009", Map.of()).json();
        assertEquals("UNDETERMINED", json.path("cause").asText());
        assertTrue(json.toString(), json.has("actor") && json.path("actor").isNull());
        assertTrue(json.path("family").isNull());
        assertEquals("same_moment", json.path("kind").asText());
    }

    // ------------------------------------------------------------------------------------------ parameters

    @Test
    public void defaultsAreThirtyDaysBackAndAHundred() throws IOException {
        assertEquals(200, list().status);
        assertEquals(Instant.parse("2026-10-22T12:00:00Z"), incidents.lastQuery.since());
        assertEquals(100, incidents.lastQuery.limit());
        assertNull(incidents.lastQuery.domain());
        assertNull(incidents.lastQuery.provider());
        assertNull(incidents.lastQuery.cause());
        assertNull(incidents.lastQuery.status());
        assertNull(incidents.lastQuery.cursor());
    }

    @Test
    public void filtersGoToTheService() throws IOException {
        Res response = list("since", "2026-11-15T00:00:00Z", "domain", "@Kestrel-Aero.COM", "provider", "office365",
                "cause", "ca_signin_frequency", "status", "CLOSED", "limit", "7");
        assertEquals(response.text(), 200, response.status);
        assertEquals("inc-000001", ids(response));
        assertEquals(Instant.parse("2026-11-15T00:00:00Z"), incidents.lastQuery.since());
        assertEquals("kestrel-aero.com", incidents.lastQuery.domain());
        assertEquals("office365", incidents.lastQuery.provider());
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, incidents.lastQuery.cause());
        assertEquals(IncidentStatus.CLOSED, incidents.lastQuery.status());
        assertEquals(7, incidents.lastQuery.limit());
        assertEquals("inc-000002", ids(list("status", "open")));
    }

    @Test
    public void sinceIsIsoEpochSecondsOrALookBack() throws IOException {
        String[][] cases = {
                {"1795165260", "2026-11-20T09:01:00Z"},
                {"2026-11-20T10:01:00+01:00", "2026-11-20T09:01:00Z"},
                // An unencoded "+" of the offset arrives as a space.
                {"2026-11-20T10:01:00 01:00", "2026-11-20T09:01:00Z"},
                {"2026-11-20T09:01:00", "2026-11-20T09:01:00Z"},
                {"2026-11-20", "2026-11-20T00:00:00Z"},
                {"7d", "2026-11-14T12:00:00Z"},
                {"12h", "2026-11-21T00:00:00Z"},
                {"P1D", "2026-11-20T12:00:00Z"},
        };
        for (String[] c : cases) {
            Res response = list("since", c[0]);
            assertEquals(c[0] + ": " + response.text(), 200, response.status);
            assertEquals(c[0], Instant.parse(c[1]), incidents.lastQuery.since());
        }
        assertEquals("since filters on last_at", "inc-000002", ids(list("since", "2026-11-19T00:00:00Z")));
    }

    @Test
    public void everyBadParameterIs400NamingIt() throws IOException {
        String[][] bad = {
                {"since", "yesterday"}, {"since", "2026-13-01"}, {"since", "-5"}, {"since", "12x"},
                {"cause", "SOMETHING_ELSE"}, {"status", "pending"}, {"limit", "0"}, {"limit", "1001"},
                {"limit", "ten"}, {"limit", "1.5"}, {"causes", "PASSWORD_CHANGED"},
        };
        for (String[] b : bad) {
            Res response = list(b[0], b[1]);
            assertBadParameter(response, b[0]);
        }
        assertNull("the service was not asked", incidents.lastQuery);
        assertEquals(200, list("limit", "1000").status);
    }

    @Test
    public void badParameterMessagesSayWhatIsAllowed() throws IOException {
        assertTrue(list("cause", "NOPE").json().path("message").asText()
                .contains("unknown cause 'NOPE'; the causes are APP_REVOKED_TOKENS, "));
        assertEquals("'status' must be open or closed, got 'pending'",
                list("status", "pending").json().path("message").asText());
        assertTrue(list("since", "soon").json().path("message").asText().startsWith("'since' must be an ISO-8601"));
    }

    @Test
    public void aQueryStringTheContainerCannotDecodeIs400NamingTheParameter() throws IOException {
        Req request = new Req("GET", ApiContext.INCIDENTS_PATH).mappedAt(ApiContext.INCIDENTS_PATH, null);
        // What Jetty does with "%%%": it throws (a BadMessageException, unchecked) when the parameters are read.
        when(request.mock.getParameterMap()).thenThrow(new IllegalArgumentException("Unable to parse URI query"));
        when(request.mock.getQueryString()).thenReturn("status=open&cursor=%%%");
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        assertBadParameter(response, "cursor");
        assertNull("the service was not asked", incidents.lastQuery);

        assertEquals("status", IncidentQueryParameters.undecodable("status=%zz"));
        assertEquals("a broken name is named raw", "%q", IncidentQueryParameters.undecodable("limit=1&%q=2"));
        assertNull(IncidentQueryParameters.undecodable("cursor=a%2Bb&since=7d"));
        assertNull(IncidentQueryParameters.undecodable(null));
    }

    @Test
    public void aParameterGivenTwiceIs400() throws IOException {
        assertBadParameter(get(null, Map.of("status", new String[] {"open", "closed"})), "status");
    }

    @Test
    public void blankParametersMeanNoFilter() throws IOException {
        assertEquals("inc-000002,inc-000001", ids(list("domain", " ", "cause", "", "status", "", "cursor", "")));
        assertNull(incidents.lastQuery.domain());
        assertNull(incidents.lastQuery.cursor());
    }

    // ------------------------------------------------------------------------------------------ pagination

    @Test
    public void nextIsPassedThroughAndLeadsToTheNextPage() throws IOException {
        Res first = list("limit", "1");
        assertEquals("inc-000002", ids(first));
        assertEquals("at:1", first.json().path("next").asText());

        Res second = list("limit", "1", "cursor", first.json().path("next").asText());
        assertEquals("at:1", incidents.lastQuery.cursor());
        assertEquals("inc-000001", ids(second));
        assertTrue(second.json().path("next").isNull());
    }

    @Test
    public void aCursorTheServiceRefusesIs400() throws IOException {
        Res response = list("cursor", "forged");
        assertBadParameter(response, "cursor");
        assertTrue(response.text(), response.json().path("message").asText().contains("not a cursor: forged"));
    }

    // -------------------------------------------------------------------------------------------- one / 404

    @Test
    public void unknownIncidentIs404() throws IOException {
        Res response = get("/inc-404404", Map.of());
        assertError(response, 404, "unknown_incident");
        assertEquals("inc-404404", response.json().path("incident_id").asText());
    }

    @Test
    public void otherSubpathsAre404() throws IOException {
        assertError(get("/inc-000001/accounts", Map.of()), 404, "not_found");
        assertError(get("//", Map.of()), 404, "not_found");
        assertEquals("a trailing slash is the list", 200, get("/", Map.of()).status);
    }

    @Test
    public void onlyGet() throws IOException {
        Res response = call("POST", null, Map.of());
        assertError(response, 405, "method_not_allowed");
        assertEquals("GET", response.headers.get("Allow"));
        assertError(call("DELETE", "/inc-000001", Map.of()), 405, "method_not_allowed");
    }

    // ----------------------------------------------------------------------------------- service problems

    @Test
    public void withoutTheServiceIs503WithRetryAfter() throws IOException {
        servlet.unbindIncidents(incidents);
        Res response = list();
        assertError(response, 503, "incidents_unavailable");
        assertEquals("30", response.headers.get("Retry-After"));
        assertError(get("/inc-000001", Map.of()), 503, "incidents_unavailable");
        assertBadParameter(list("limit", "0"), "limit");
    }

    @Test
    public void aGreedyRebindKeepsTheNewService() throws IOException {
        InMemoryFleetIncidents replacement = new InMemoryFleetIncidents().add(InMemoryFleetIncidents.recurring());
        servlet.bindIncidents(replacement);
        servlet.unbindIncidents(incidents);
        assertEquals("inc-000001", ids(list()));
    }

    @Test
    public void aFailingStoreIs503() throws IOException {
        incidents.failure = new EvidenceStore.StoreException("connection refused", new IOException("refused"));
        Res response = list();
        assertError(response, 503, "store_failed");
        assertFalse(response.text(), response.text().contains("refused"));
        assertError(get("/inc-000001", Map.of()), 503, "store_failed");
    }

    @Test
    public void aBugIsA500WithoutDetails() throws IOException {
        incidents.failure = new IllegalStateException("secret internals");
        Res response = get("/inc-000001", Map.of());
        assertError(response, 500, "internal_error");
        assertFalse(response.text(), response.text().contains("secret"));
    }
}
