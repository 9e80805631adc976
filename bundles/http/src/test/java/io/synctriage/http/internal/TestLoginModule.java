package io.synctriage.http.internal;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/**
 * A login module for one user, configured by options {@code user}, {@code password} and {@code roles}
 * (comma-separated), adding Karaf's principal types as Karaf's own modules do.
 */
public class TestLoginModule implements LoginModule {

    private Subject subject;
    private CallbackHandler handler;
    private Map<String, ?> options;
    private final List<Principal> principals = new ArrayList<>();
    private String user;

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.options = options;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user: ");
        PasswordCallback password = new PasswordCallback("password: ", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException(e.toString());
        }
        if (!options.get("user").equals(name.getName())
                || !Arrays.equals(((String) options.get("password")).toCharArray(), password.getPassword())) {
            throw new FailedLoginException("bad credentials");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        principals.add(new UserPrincipal(user));
        for (String role : ((String) options.get("roles")).split(",")) {
            if (!role.isBlank()) {
                principals.add(new RolePrincipal(role.trim()));
            }
        }
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        principals.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        return true;
    }
}
