package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.http.HttpServletRequest;

import org.junit.Before;
import org.junit.Test;
import org.osgi.service.http.context.ServletContextHelper;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;

public class ApiSecurityContextTest {

    private final AtomicInteger logins = new AtomicInteger();
    private ApiSettings settings;
    private ApiSecurityContext context;

    /** Users: alice/secret (roles admin), bob/hunter2 (no roles). */
    private Optional<Set<String>> check(String user, String password) {
        logins.incrementAndGet();
        if ("alice".equals(user) && "secret".equals(password)) {
            return Optional.of(Set.of("admin"));
        }
        if ("bob".equals(user) && "hunter2".equals(password)) {
            return Optional.of(Set.of());
        }
        return Optional.empty();
    }

    @Before
    public void setUp() {
        context = withRole("");
    }

    private ApiSecurityContext withRole(String role) {
        settings = new ApiSettings(new BasicAuthenticator(this::check, role,
                new AuthCache(60_000_000_000L, System::nanoTime)), ApiSettings.Limits.of(1024, 4));
        return new ApiSecurityContext(settings);
    }

    private static void assertUnauthorized(Res response) {
        assertEquals(401, response.status);
        assertEquals("Basic realm=\"synctriage\"", response.headers.get("WWW-Authenticate"));
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals("unauthorized", response.json().path("error").asText());
        assertFalse(response.json().path("message").asText().isEmpty());
        assertTrue("committed, so that Pax Web does not replace it with a 403", response.committed);
    }

    @Test
    public void healthIsOpenForGetAndHead() throws IOException {
        for (String method : new String[] {"GET", "HEAD"}) {
            Res response = new Res();
            assertTrue(context.handleSecurity(new Req(method, ApiContext.HEALTH_PATH).mock, response.mock));
            assertEquals(0, response.body.size());
        }
        assertEquals(0, logins.get());
    }

    @Test
    public void healthIsNotOpenForOtherMethodsOrNearbyPaths() throws IOException {
        Res post = new Res();
        assertFalse(context.handleSecurity(new Req("POST", ApiContext.HEALTH_PATH).mock, post.mock));
        assertUnauthorized(post);

        Res sub = new Res();
        Req nearby = new Req("GET", "/api").mappedAt("/api", "/v1/health/../diagnoses");
        assertFalse(context.handleSecurity(nearby.mock, sub.mock));
        assertUnauthorized(sub);
    }

    @Test
    public void missingCredentialsAre401() throws IOException {
        Res response = new Res();
        assertFalse(context.handleSecurity(new Req("POST", ApiContext.DIAGNOSES_PATH).mock, response.mock));
        assertUnauthorized(response);
        assertTrue(response.json().path("message").asText().contains("authentication required"));
    }

    @Test
    public void wrongPasswordIs401() throws IOException {
        Res response = new Res();
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).basic("alice", "wrong");
        assertFalse(context.handleSecurity(request.mock, response.mock));
        assertUnauthorized(response);
        assertEquals("wrong user name or password", response.json().path("message").asText());
    }

    @Test
    public void malformedHeadersAre401() throws IOException {
        for (String header : new String[] {"Basic !!!not-base64", "Bearer abc.def", "Basic", "Basicx YWxpY2U6c2VjcmV0",
                "Basic YWxpY2VzZWNyZXQ=" /* alicesecret: no colon */}) {
            Res response = new Res();
            Req request = new Req("GET", "/api/v1/accounts").header("Authorization", header);
            assertFalse(header, context.handleSecurity(request.mock, response.mock));
            assertUnauthorized(response);
        }
        assertEquals(0, logins.get());
    }

    @Test
    public void validCredentialsPassAndNameTheUser() throws IOException {
        Res response = new Res();
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).basic("alice", "secret");

        assertTrue(context.handleSecurity(request.mock, response.mock));

        assertEquals("alice", request.attribute(ServletContextHelper.REMOTE_USER));
        assertEquals(HttpServletRequest.BASIC_AUTH, request.attribute(ServletContextHelper.AUTHENTICATION_TYPE));
        assertEquals(0, response.body.size());
        assertFalse(response.committed);
    }

    @Test
    public void unknownApiPathsNeedCredentialsToo() throws IOException {
        Res response = new Res();
        Req request = new Req("GET", "/api").mappedAt("/api", "/v2/secret-things");
        assertFalse(context.handleSecurity(request.mock, response.mock));
        assertUnauthorized(response);
    }

    @Test
    public void requiredRoleDeniesOtherUsersWith403() throws IOException {
        context = withRole("admin");

        Res bob = new Res();
        assertFalse(context.handleSecurity(new Req("POST", ApiContext.DIAGNOSES_PATH).basic("bob", "hunter2").mock,
                bob.mock));
        assertEquals(403, bob.status);
        assertEquals("forbidden", bob.json().path("error").asText());
        assertNull(bob.headers.get("WWW-Authenticate"));
        assertTrue(bob.committed);

        Res alice = new Res();
        assertTrue(context.handleSecurity(new Req("POST", ApiContext.DIAGNOSES_PATH).basic("alice", "secret").mock,
                alice.mock));
    }

    @Test
    public void repeatedRequestsLogInOnce() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertTrue(context.handleSecurity(
                    new Req("POST", ApiContext.DIAGNOSES_PATH).basic("alice", "secret").mock, new Res().mock));
        }
        assertEquals(1, logins.get());
    }

    @Test
    public void modifiedConfigurationReplacesTheAuthenticator() throws IOException {
        // A realm that does not exist in this JVM: every login is denied (and never a 500).
        settings.modified(TestConfigs.http(1024, 4, "no-such-realm-" + System.nanoTime(), "", 60));
        Res response = new Res();
        assertFalse(context.handleSecurity(new Req("POST", ApiContext.DIAGNOSES_PATH).basic("alice", "secret").mock,
                response.mock));
        assertUnauthorized(response);
    }
}
