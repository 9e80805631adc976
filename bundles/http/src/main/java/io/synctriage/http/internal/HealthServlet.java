package io.synctriage.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.synctriage.model.Diagnoser;
import io.synctriage.model.ProviderInfo;

/**
 * {@code GET /api/v1/health} (open): {@code 200 UP} with the provider check bundles active now, or
 * {@code 503 DOWN} while no diagnosis engine is bound. The engine reference is optional and dynamic
 * so that health stays registered and can say DOWN.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiContext.HEALTH_PATH)
@HttpWhiteboardServletName("synctriage-health")
@HttpWhiteboardContextSelect(ApiContext.SELECT)
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);

    /** The health answer; snake_case like every API body. {@code message} only says why it is DOWN. */
    record Health(String status, List<String> providers, List<ProviderInfo> checks, String version,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
    }

    private final String version;
    private final AtomicReference<Diagnoser> diagnoser = new AtomicReference<>();

    @Activate
    public HealthServlet(BundleContext context) {
        this(context.getBundle().getVersion().toString());
    }

    /** For tests: report {@code version} as this bundle's version. */
    HealthServlet(String version) {
        this.version = version;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDiagnoser(Diagnoser service) {
        diagnoser.set(service);
    }

    void unbindDiagnoser(Diagnoser service) {
        // A greedy rebind calls bind(new) before unbind(old): only clear what is still ours.
        diagnoser.compareAndSet(service, null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            ApiResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    method + " is not supported on " + ApiContext.HEALTH_PATH + "; use GET");
            return;
        }
        Health health = check();
        int status = "UP".equals(health.status()) ? HttpServletResponse.SC_OK
                : HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        if ("HEAD".equals(method)) {
            response.setStatus(status);
            response.setHeader("Cache-Control", "no-store");
            response.setContentType(ApiResponses.JSON);
            return;
        }
        ApiResponses.json(response, status, health);
    }

    Health check() {
        Diagnoser engine = diagnoser.get();
        if (engine == null) {
            return new Health("DOWN", List.of(), List.of(), version, "the diagnosis engine is not running");
        }
        List<ProviderInfo> checks;
        try {
            checks = engine.providers();
        } catch (RuntimeException e) {
            LOG.warn("The diagnosis engine failed to list its provider checks", e);
            return new Health("DOWN", List.of(), List.of(), version, "the diagnosis engine failed its health check");
        }
        List<String> families = checks.stream().map(ProviderInfo::family).distinct().sorted()
                .collect(Collectors.toList());
        return new Health("UP", families, checks, version, null);
    }
}
