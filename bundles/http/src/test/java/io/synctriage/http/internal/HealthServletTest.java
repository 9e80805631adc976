package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;
import io.synctriage.model.ProviderInfo;

public class HealthServletTest {

    private HealthServlet servlet;
    private FakeDiagnoser engine;

    @Before
    public void setUp() {
        servlet = new HealthServlet("0.1.0.SNAPSHOT");
        engine = new FakeDiagnoser();
        engine.providers = List.of(
                new ProviderInfo("microsoft", "io.synctriage.provider.microsoft", "0.1.0",
                        List.of("MS_AADSTS_CODE", "MS_ADMIN_ACTIONS")),
                new ProviderInfo("eas", "io.synctriage.provider.eas", "0.1.0", List.of("EAS_STATUS")),
                new ProviderInfo("google", "io.synctriage.provider.google", "0.2.0", List.of("GOOGLE_TOKEN_ERRORS")));
    }

    private Res call(String method) throws IOException {
        Res response = new Res();
        servlet.service(new Req(method, ApiContext.HEALTH_PATH).mock, response.mock);
        return response;
    }

    @Test
    public void upListsTheActiveProviderBundles() throws IOException {
        servlet.bindDiagnoser(engine);

        Res response = call("GET");

        assertEquals(200, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        JsonNode body = response.json();
        assertEquals("UP", body.path("status").asText());
        assertEquals("[\"eas\",\"google\",\"microsoft\"]", body.path("providers").toString());
        assertEquals("0.1.0.SNAPSHOT", body.path("version").asText());
        JsonNode microsoft = body.path("checks").path(0);
        assertEquals("microsoft", microsoft.path("family").asText());
        assertEquals("io.synctriage.provider.microsoft", microsoft.path("bundle").asText());
        assertEquals("0.1.0", microsoft.path("version").asText());
        assertEquals("[\"MS_AADSTS_CODE\",\"MS_ADMIN_ACTIONS\"]", microsoft.path("checks").toString());
        assertEquals(3, body.path("checks").size());
        assertTrue("no message when UP: " + body, !body.has("message"));
    }

    @Test
    public void upWithoutProviderBundles() throws IOException {
        engine.providers = List.of();
        servlet.bindDiagnoser(engine);

        JsonNode body = call("GET").json();

        assertEquals("UP", body.path("status").asText());
        assertEquals(0, body.path("providers").size());
    }

    @Test
    public void downWithoutEngine() throws IOException {
        Res response = call("GET");

        assertEquals(503, response.status);
        JsonNode body = response.json();
        assertEquals("DOWN", body.path("status").asText());
        assertEquals(0, body.path("providers").size());
        assertEquals("0.1.0.SNAPSHOT", body.path("version").asText());
        assertTrue(body.path("message").asText().contains("engine"));
    }

    @Test
    public void downAgainAfterTheEngineLeaves() throws IOException {
        servlet.bindDiagnoser(engine);
        assertEquals(200, call("GET").status);
        servlet.unbindDiagnoser(engine);
        assertEquals(503, call("GET").status);
    }

    @Test
    public void downWhenTheEngineFails() throws IOException {
        servlet.bindDiagnoser(new FakeDiagnoser() {
            @Override
            public List<ProviderInfo> providers() {
                throw new IllegalStateException("broken");
            }
        });
        Res response = call("GET");
        assertEquals(503, response.status);
        assertEquals("DOWN", response.json().path("status").asText());
    }

    @Test
    public void headAnswersTheStatusWithoutBody() throws IOException {
        servlet.bindDiagnoser(engine);
        Res up = call("HEAD");
        assertEquals(200, up.status);
        assertEquals(0, up.body.size());
        servlet.unbindDiagnoser(engine);
        assertEquals(503, call("HEAD").status);
    }

    @Test
    public void otherMethodsAre405() throws IOException {
        Res response = call("POST");
        assertEquals(405, response.status);
        assertEquals("GET, HEAD", response.headers.get("Allow"));
        assertEquals("method_not_allowed", response.json().path("error").asText());
    }
}
