package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import io.synctriage.http.internal.BasicAuthenticator.Status;

public class BasicAuthenticatorTest {

    private final List<String> logins = new ArrayList<>();
    private long now = 1_000L;

    private final CredentialsCheck check = (user, password) -> {
        logins.add(user + ":" + password);
        return "carol".equals(user) && "pa:ss wörd".equals(password) ? Optional.of(Set.of("viewer"))
                : Optional.empty();
    };

    private BasicAuthenticator authenticator(long ttlSeconds) {
        return new BasicAuthenticator(check, null, new AuthCache(TimeUnit.SECONDS.toNanos(ttlSeconds), () -> now));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void splitsAtTheFirstColonAndDecodesUtf8() {
        BasicAuthenticator.Outcome outcome = authenticator(60).authenticate(basic("carol", "pa:ss wörd"));
        assertEquals(Status.AUTHENTICATED, outcome.status());
        assertEquals("carol", outcome.user());
        assertEquals(List.of("carol:pa:ss wörd"), logins);
    }

    @Test
    public void schemeIsCaseInsensitive() {
        String header = basic("carol", "pa:ss wörd").replace("Basic ", "bAsIc   ");
        assertEquals(Status.AUTHENTICATED, authenticator(60).authenticate(header).status());
    }

    @Test
    public void cachedSuccessSkipsTheLoginUntilTheTtlEnds() {
        BasicAuthenticator auth = authenticator(60);
        assertEquals(Status.AUTHENTICATED, auth.authenticate(basic("carol", "pa:ss wörd")).status());
        now += TimeUnit.SECONDS.toNanos(59);
        assertEquals(Status.AUTHENTICATED, auth.authenticate(basic("carol", "pa:ss wörd")).status());
        assertEquals(1, logins.size());

        now += TimeUnit.SECONDS.toNanos(2);
        assertEquals(Status.AUTHENTICATED, auth.authenticate(basic("carol", "pa:ss wörd")).status());
        assertEquals("expired: logged in again", 2, logins.size());
    }

    @Test
    public void theCacheNeverServesOtherCredentials() {
        BasicAuthenticator auth = authenticator(60);
        auth.authenticate(basic("carol", "pa:ss wörd"));
        assertEquals(Status.UNAUTHENTICATED, auth.authenticate(basic("carol", "pa:ss word")).status());
        assertEquals(Status.UNAUTHENTICATED, auth.authenticate(basic("carol", "pa:ss wörd ")).status());
        assertEquals(Status.UNAUTHENTICATED, auth.authenticate(basic("Carol", "pa:ss wörd")).status());
        assertEquals(4, logins.size());
    }

    @Test
    public void failuresAreNotCached() {
        BasicAuthenticator auth = authenticator(60);
        auth.authenticate(basic("carol", "nope"));
        auth.authenticate(basic("carol", "nope"));
        assertEquals(2, logins.size());
    }

    @Test
    public void zeroTtlLogsInEveryTime() {
        BasicAuthenticator auth = authenticator(0);
        auth.authenticate(basic("carol", "pa:ss wörd"));
        auth.authenticate(basic("carol", "pa:ss wörd"));
        assertEquals(2, logins.size());
    }

    @Test
    public void emptyUserIsRejectedWithoutLogin() {
        BasicAuthenticator.Outcome outcome = authenticator(60).authenticate(basic("", "x"));
        assertEquals(Status.UNAUTHENTICATED, outcome.status());
        assertNull(outcome.user());
        assertEquals(0, logins.size());
    }

    @Test
    public void requiredRoleIsChecked() {
        AuthCache cache = new AuthCache(TimeUnit.SECONDS.toNanos(60), () -> now);
        assertEquals(Status.FORBIDDEN,
                new BasicAuthenticator(check, "admin", cache).authenticate(basic("carol", "pa:ss wörd")).status());
        assertEquals("a denied user is not cached", 0, cache.size());
        assertEquals(Status.AUTHENTICATED,
                new BasicAuthenticator(check, " viewer ", cache).authenticate(basic("carol", "pa:ss wörd")).status());
    }
}
