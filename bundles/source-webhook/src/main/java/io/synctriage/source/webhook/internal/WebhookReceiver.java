package io.synctriage.source.webhook.internal;

import java.util.Hashtable;

import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceStore;

/**
 * The webhook receiver (PID {@value WebhookConfig#PID}): takes the configuration and the services, and
 * registers the {@link WebhookServlet} on the HTTP whiteboard itself.
 *
 * <p>Why not a {@code @Component(service = Servlet.class)}: DS copies a component's configuration into its
 * service properties, so the secrets would be readable by anyone listing services ({@code service:list}),
 * and every configuration change would modify the servlet's registration, which Pax Web answers by
 * re-registering it (measured in the http bundle: it can fail half-way). Registered by hand, the servlet's
 * properties are the whiteboard ones only; a change swaps the settings in place.
 *
 * <p>The servlet is in the whiteboard's <b>default</b> context, not in the API's authenticating
 * {@code synctriage-api} context: Nylas cannot send HTTP Basic credentials; the signature authenticates.
 * Store and reader are optional and dynamic: without them the path stays registered and answers 503 with
 * {@code Retry-After}, so Nylas keeps the notifications for a retry instead of seeing 404.
 */
@Component(immediate = true, configurationPid = WebhookConfig.PID)
@Designate(ocd = WebhookConfig.class)
public class WebhookReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final WebhookServlet servlet = new WebhookServlet(WebhookSettings.of("", "", 0, 0));
    private ServiceRegistration<Servlet> registration;

    @Activate
    void activate(BundleContext context, WebhookConfig config) {
        apply(config);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, WebhookServlet.PATH);
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "synctriage-webhook-nylas");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT, "("
                + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "="
                + HttpWhiteboardConstants.HTTP_WHITEBOARD_DEFAULT_CONTEXT_NAME + ")");
        registration = context.registerService(Servlet.class, servlet, properties);
    }

    @Modified
    void modified(WebhookConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
            registration = null;
        }
    }

    private void apply(WebhookConfig config) {
        WebhookSettings settings = WebhookSettings.of(config);
        servlet.configure(settings);
        if (settings.signatures().configured()) {
            LOG.info("Nylas webhook receiver at {}: {}", WebhookServlet.PATH, settings.signatures());
        } else {
            LOG.warn("Nylas webhook receiver at {}: no secret configured, every notification is refused with 401; "
                    + "set client.secret and/or webhook.secret in etc/{}.cfg", WebhookServlet.PATH, WebhookConfig.PID);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(EvidenceStore store) {
        servlet.store().set(store);
    }

    void unbindStore(EvidenceStore store) {
        // A greedy rebind calls bind(new) before unbind(old): only clear what is still ours.
        servlet.store().compareAndSet(store, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReader(EvidenceReader reader) {
        servlet.reader().set(reader);
    }

    void unbindReader(EvidenceReader reader) {
        servlet.reader().compareAndSet(reader, null);
    }
}
