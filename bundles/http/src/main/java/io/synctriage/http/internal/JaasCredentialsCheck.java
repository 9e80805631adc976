package io.synctriage.http.internal;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials with a JAAS login into a realm (Karaf's {@code karaf} realm by default, the one
 * {@code etc/users.properties} feeds). Roles are the {@link RolePrincipal}s Karaf's login modules add
 * (group roles included).
 */
final class JaasCredentialsCheck implements CredentialsCheck {

    private static final Logger LOG = LoggerFactory.getLogger(JaasCredentialsCheck.class);
    private static final long MISCONFIGURED_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String realm;
    private final Configuration configuration;
    private final AtomicLong lastMisconfiguredLog = new AtomicLong(System.nanoTime() - MISCONFIGURED_LOG_INTERVAL_NANOS);

    /** Logs into {@code realm} of the JVM-wide JAAS configuration (in Karaf: the JAAS realms registered as services). */
    JaasCredentialsCheck(String realm) {
        this(realm, null);
    }

    /** Logs into {@code realm} of {@code configuration}; null means the JVM-wide one. */
    JaasCredentialsCheck(String realm, Configuration configuration) {
        this.realm = realm;
        this.configuration = configuration;
    }

    @Override
    public Optional<Set<String>> login(String user, String password) {
        Subject subject = new Subject();
        CallbackHandler handler = callbacks -> answer(callbacks, user, password);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's login module class through the thread context class loader. On a
        // Jetty thread that is Pax Web's loader, which cannot see Karaf's ProxyLoginModule; this bundle's
        // loader can (it imports org.apache.karaf.jaas.boot), and the proxy then finds the real module.
        thread.setContextClassLoader(JaasCredentialsCheck.class.getClassLoader());
        try {
            LoginContext context;
            try {
                context = configuration == null
                        ? new LoginContext(realm, subject, handler)
                        : new LoginContext(realm, subject, handler, configuration);
            } catch (LoginException | SecurityException e) {
                // No such realm (or JAAS not ready yet): deny, and tell the operator without flooding the log.
                logMisconfigured(e);
                return Optional.empty();
            }
            try {
                context.login();
            } catch (LoginException e) {
                // Wrong user or password (FailedLoginException), or a login module that cannot use a
                // user/password pair (e.g. Karaf's public-key module): all mean "not these credentials".
                LOG.debug("JAAS login of '{}' into realm '{}' failed: {}", user, realm, e.getMessage());
                return Optional.empty();
            }
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream()
                    .map(Principal::getName)
                    .collect(Collectors.toUnmodifiableSet());
            try {
                context.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout of '{}' failed: {}", user, e.getMessage());
            }
            return Optional.of(roles);
        } catch (RuntimeException e) {
            // A broken login module must not turn into a 500 for every request, nor into access.
            LOG.warn("JAAS login into realm '{}' failed unexpectedly", realm, e);
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void answer(Callback[] callbacks, String user, String password)
            throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback) {
                ((NameCallback) callback).setName(user);
            } else if (callback instanceof PasswordCallback) {
                ((PasswordCallback) callback).setPassword(password.toCharArray());
            } else {
                throw new UnsupportedCallbackException(callback, "only user name and password are available");
            }
        }
    }

    private void logMisconfigured(Exception e) {
        long now = System.nanoTime();
        long last = lastMisconfiguredLog.get();
        if (now - last >= MISCONFIGURED_LOG_INTERVAL_NANOS && lastMisconfiguredLog.compareAndSet(last, now)) {
            LOG.warn("Cannot log into JAAS realm '{}' (check auth.realm in etc/{}.cfg); every API request is "
                    + "denied: {}", realm, HttpConfig.PID, e.getMessage());
        }
    }
}
