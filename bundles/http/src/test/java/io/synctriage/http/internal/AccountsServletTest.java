package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.ProviderFamily;

public class AccountsServletTest {

    private FakeStore store;
    private FakeDiagnoser engine;
    private ApiSettings settings;
    private AccountsServlet servlet;

    @Before
    public void setUp() {
        store = new FakeStore()
                .add("acc-ana", "Ana.Lopez@Contoso.com", "office365", ProviderFamily.MICROSOFT, "invalid", "2026-11-20T09:01:00Z")
                .add("acc-ben", "ben@contoso.com", "eas", ProviderFamily.EAS, "running", "2026-11-20T08:00:00Z")
                .add("grant-cy", "cy@fabrikam.org", "google", ProviderFamily.GOOGLE, "invalid", "2026-11-20T10:00:00Z");
        engine = new FakeDiagnoser();
        settings = new ApiSettings(null, ApiSettings.Limits.of(4096, 2));
        servlet = new AccountsServlet(settings);
        servlet.bindStore(store);
        servlet.bindDiagnoser(engine);
    }

    private Res get(String pathInfo, Map<String, String> query) throws IOException {
        Req request = new Req("GET", ApiContext.ACCOUNTS_PATH + (pathInfo == null ? "" : pathInfo))
                .mappedAt(ApiContext.ACCOUNTS_PATH, pathInfo);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        query.forEach((k, v) -> parameters.put(k, new String[] {v}));
        when(request.mock.getParameterMap()).thenReturn(parameters);
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        return response;
    }

    private Res list(String... keyValues) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            query.put(keyValues[i], keyValues[i + 1]);
        }
        return get(null, query);
    }

    private static void assertError(Res response, int status, String code) {
        assertEquals(response.text(), status, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals(response.text(), code, response.json().path("error").asText());
        assertTrue(response.text(), response.json().path("message").asText().length() > 10);
        assertFalse(response.text(), response.text().contains("Exception"));
    }

    private static String ids(Res response) {
        StringBuilder ids = new StringBuilder();
        for (JsonNode account : response.json().path("accounts")) {
            ids.append(ids.length() == 0 ? "" : ",").append(account.path("id").asText());
        }
        return ids.toString();
    }

    // ----------------------------------------------------------------------------------------------- list

    @Test
    public void listsAccountsMostRecentlyUpdatedFirst() throws IOException {
        Res response = list();
        assertEquals(response.text(), 200, response.status);
        assertEquals("grant-cy,acc-ana,acc-ben", ids(response));
        JsonNode ana = response.json().path("accounts").get(1);
        assertEquals("Ana.Lopez@Contoso.com", ana.path("email").asText());
        assertEquals("office365", ana.path("provider").asText());
        assertEquals("microsoft", ana.path("family").asText());
        assertEquals("invalid", ana.path("sync_state").asText());
        assertEquals("2026-11-20T09:01:00Z", ana.path("updated_at").asText());
        assertEquals(AccountsServlet.DEFAULT_LIMIT, store.lastQuery.limit());
        assertEquals(0, store.lastQuery.offset());
    }

    @Test
    public void filtersGoToTheStore() throws IOException {
        Res response = list("state", "invalid", "domain", "@CONTOSO.com", "provider", "microsoft", "limit", "5",
                "offset", "0");
        assertEquals(response.text(), 200, response.status);
        assertEquals("acc-ana", ids(response));
        assertEquals("invalid", store.lastQuery.state());
        assertEquals("contoso.com", store.lastQuery.domain());
        assertEquals("microsoft", store.lastQuery.provider());
        assertEquals(5, store.lastQuery.limit());
        assertEquals("acc-ben", ids(list("provider", "eas")));
        assertEquals("acc-ana,acc-ben", ids(list("limit", "2", "offset", "1")));
    }

    @Test
    public void blankFiltersMeanAny() throws IOException {
        assertEquals("grant-cy,acc-ana,acc-ben", ids(list("state", " ", "domain", "")));
        assertNull(store.lastQuery.state());
        assertNull(store.lastQuery.domain());
    }

    @Test
    public void badParametersAre400() throws IOException {
        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "1001"}, {"limit", "ten"}, {"limit", "1.5"},
                {"offset", "-1"}, {"offset", "x"}, {"sate", "invalid"}}) {
            Res response = list(bad[0], bad[1]);
            assertError(response, 400, "invalid_parameter");
            assertEquals(response.text(), bad[0], response.json().path("field").asText());
        }
        assertNull("the store was not asked", store.lastQuery);
        assertEquals(200, list("limit", "1000").status);
    }

    @Test
    public void aParameterGivenTwiceIs400() throws IOException {
        Req request = new Req("GET", ApiContext.ACCOUNTS_PATH).mappedAt(ApiContext.ACCOUNTS_PATH, null);
        when(request.mock.getParameterMap()).thenReturn(Map.of("state", new String[] {"invalid", "stopped"}));
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        assertError(response, 400, "invalid_parameter");
    }

    @Test
    public void withoutAStoreIs503() throws IOException {
        servlet.unbindStore(store);
        Res response = list();
        assertError(response, 503, "store_unavailable");
        assertEquals("30", response.headers.get("Retry-After"));
        assertError(get("/acc-ana/diagnosis", Map.of()), 503, "store_unavailable");
    }

    @Test
    public void aFailingStoreIs503() throws IOException {
        store.failure = new EvidenceStore.StoreException("connection refused", new IOException("refused"));
        Res response = list();
        assertError(response, 503, "store_failed");
        assertFalse(response.text(), response.text().contains("refused"));
    }

    @Test
    public void onlyGet() throws IOException {
        Req request = new Req("POST", ApiContext.ACCOUNTS_PATH).mappedAt(ApiContext.ACCOUNTS_PATH, null);
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        assertError(response, 405, "method_not_allowed");
        assertEquals("GET", response.headers.get("Allow"));
    }

    // ------------------------------------------------------------------------------------------- diagnosis

    @Test
    public void diagnosisById() throws IOException {
        Res response = get("/acc-ana/diagnosis", Map.of());
        assertEquals(response.text(), 200, response.status);
        JsonNode diagnosis = response.json();
        assertEquals("acc-ana", diagnosis.path("account_id").asText());
        assertEquals("CA_SIGNIN_FREQUENCY", diagnosis.path("cause").asText());
        assertEquals("MAIL_ADMIN", diagnosis.path("actor").asText());
        assertTrue(diagnosis.path("trace").isArray());
        assertEquals(1, engine.diagnoses.get());
        assertNotNull(store.lastNow);
        assertTrue("diagnosed as of now", Duration.between(store.lastNow, Instant.now()).abs().getSeconds() < 60);
    }

    @Test
    public void diagnosisByEmailIgnoresCase() throws IOException {
        Res response = get("/ana.lopez@contoso.COM/diagnosis", Map.of());
        assertEquals(response.text(), 200, response.status);
        assertEquals("acc-ana", response.json().path("account_id").asText());
    }

    @Test
    public void unknownAccountIs404() throws IOException {
        Res response = get("/nobody@contoso.com/diagnosis", Map.of());
        assertError(response, 404, "unknown_account");
        assertEquals("nobody@contoso.com", response.json().path("account").asText());
        assertEquals(0, engine.diagnoses.get());
    }

    @Test
    public void withoutTheEngineIs503() throws IOException {
        servlet.unbindDiagnoser(engine);
        assertError(get("/acc-ana/diagnosis", Map.of()), 503, "engine_unavailable");
    }

    @Test
    public void otherSubpathsAre404() throws IOException {
        assertError(get("/acc-ana", Map.of()), 404, "not_found");
        assertError(get("/diagnosis", Map.of()), 404, "not_found");
        assertError(get("/acc-ana/diagnosis/x", Map.of()), 404, "not_found");
        assertError(get("/a/b/diagnosis", Map.of()), 404, "not_found");
    }

    @Test
    public void diagnosesShareTheConcurrencyLimit() throws IOException {
        settings.limits().permits().acquireUninterruptibly(2);
        try {
            Res response = get("/acc-ana/diagnosis", Map.of());
            assertError(response, 503, "overloaded");
            assertEquals("1", response.headers.get("Retry-After"));
        } finally {
            settings.limits().permits().release(2);
        }
        assertEquals(200, get("/acc-ana/diagnosis", Map.of()).status);
        assertEquals("permits are given back", 2, settings.limits().permits().availablePermits());
    }
}
