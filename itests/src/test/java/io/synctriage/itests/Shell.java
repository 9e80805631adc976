package io.synctriage.itests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs a command in a real Karaf shell session, as a user with Karaf's admin roles (what {@code bin/client -u
 * karaf} gets), and returns everything it printed. Bounded: a command that hangs fails after the timeout.
 */
final class Shell {

    private Shell() {
    }

    /** The command's output (stdout and stderr). Throws if the command fails or does not finish in time. */
    static String execute(SessionFactory sessionFactory, String command, long timeoutSeconds) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, UTF_8);
        Subject subject = new Subject(false,
                Set.of(new UserPrincipal("karaf"), new RolePrincipal("admin"), new RolePrincipal("manager"),
                        new RolePrincipal("viewer"), new RolePrincipal("systembundles"), new RolePrincipal("ssh")),
                Set.of(), Set.of());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Object> result = executor.submit(() -> Subject.doAs(subject,
                    (PrivilegedExceptionAction<Object>) () -> {
                        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
                        try {
                            return session.execute(command);
                        } finally {
                            session.close();
                        }
                    }));
            try {
                Object value = result.get(timeoutSeconds, TimeUnit.SECONDS);
                if (value != null) {
                    // what the console would print for a command that returns a value
                    out.println(value);
                }
            } catch (TimeoutException e) {
                result.cancel(true);
                throw new AssertionError("`" + command + "` did not finish within " + timeoutSeconds
                        + " s; output so far:\n" + bytes.toString(UTF_8));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.security.PrivilegedActionException
                        ? e.getCause().getCause() : e.getCause();
                throw new AssertionError("`" + command + "` failed: " + cause + "\noutput:\n"
                        + bytes.toString(UTF_8), cause);
            }
        } finally {
            executor.shutdownNow();
        }
        out.flush();
        return bytes.toString(UTF_8);
    }
}
