package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

import org.junit.Test;

public class JaasCredentialsCheckTest {

    /** One realm, "test", with user dave / s3cret holding roles admin and viewer. */
    private static final Configuration REALMS = new Configuration() {
        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            if (!"test".equals(name)) {
                return null;
            }
            return new AppConfigurationEntry[] {new AppConfigurationEntry(TestLoginModule.class.getName(),
                    LoginModuleControlFlag.REQUIRED, Map.of("user", "dave", "password", "s3cret",
                            "roles", "admin, viewer"))};
        }
    };

    @Test
    public void validCredentialsYieldTheRoles() {
        Optional<Set<String>> roles = new JaasCredentialsCheck("test", REALMS).login("dave", "s3cret");
        assertEquals(Optional.of(Set.of("admin", "viewer")), roles);
    }

    @Test
    public void wrongCredentialsYieldNothing() {
        JaasCredentialsCheck check = new JaasCredentialsCheck("test", REALMS);
        assertTrue(check.login("dave", "guess").isEmpty());
        assertTrue(check.login("eve", "s3cret").isEmpty());
    }

    @Test
    public void unknownRealmDenies() {
        assertTrue(new JaasCredentialsCheck("nope", REALMS).login("dave", "s3cret").isEmpty());
    }

    @Test
    public void restoresTheThreadContextClassLoader() throws Exception {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader jettys = new URLClassLoader(new URL[0], null)) {
            Thread.currentThread().setContextClassLoader(jettys);
            // Succeeds although the caller's context loader cannot see the login module class.
            assertEquals(Optional.of(Set.of("admin", "viewer")),
                    new JaasCredentialsCheck("test", REALMS).login("dave", "s3cret"));
            assertSame(jettys, Thread.currentThread().getContextClassLoader());
            new JaasCredentialsCheck("nope", REALMS).login("dave", "s3cret");
            assertSame(jettys, Thread.currentThread().getContextClassLoader());
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }
}
