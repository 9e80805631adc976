package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;

import org.junit.Test;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;

public class NotFoundServletTest {

    @Test
    public void unknownApiPathsAreJson404() throws IOException {
        Res response = new Res();
        new NotFoundServlet().service(new Req("GET", "/api").mappedAt("/api", "/v1/nothing-here").mock,
                response.mock);

        assertEquals(404, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals("not_found", response.json().path("error").asText());
        assertEquals("no such endpoint: GET /api/v1/nothing-here", response.json().path("message").asText());
    }
}
