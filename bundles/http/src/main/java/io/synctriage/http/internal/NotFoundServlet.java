package io.synctriage.http.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Everything under {@code /api/} that no more specific servlet serves: a JSON 404 rather than the
 * server's HTML page. Being in the API context, it answers only authenticated callers, so unknown
 * paths reveal nothing to anonymous ones.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
@HttpWhiteboardServletName("synctriage-api-not-found")
@HttpWhiteboardContextSelect(ApiContext.SELECT)
public class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                "no such endpoint: " + request.getMethod() + " " + ApiSecurityContext.pathOf(request));
    }
}
