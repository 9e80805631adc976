package io.synctriage.http.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class MediaTypesTest {

    @Test
    public void jsonTypes() {
        assertTrue(MediaTypes.isJson("application/json"));
        assertTrue(MediaTypes.isJson("application/json; charset=UTF-8"));
        assertTrue(MediaTypes.isJson("APPLICATION/JSON;charset=iso-8859-1"));
        assertTrue(MediaTypes.isJson(" application/json "));
        assertTrue(MediaTypes.isJson("application/vnd.synctriage.evidence+json"));
        assertTrue(MediaTypes.isJson("application/problem+json; charset=utf-8"));
        assertTrue(MediaTypes.isJson("text/x-custom+json"));
    }

    @Test
    public void otherTypes() {
        assertFalse(MediaTypes.isJson(null));
        assertFalse(MediaTypes.isJson(""));
        assertFalse(MediaTypes.isJson("text/plain"));
        assertFalse(MediaTypes.isJson("application/x-ndjson"));
        assertFalse(MediaTypes.isJson("application/jsonp"));
        assertFalse(MediaTypes.isJson("application/+json"));
        assertFalse(MediaTypes.isJson("json"));
        assertFalse(MediaTypes.isJson("application/"));
        assertFalse(MediaTypes.isJson("multipart/form-data; boundary=json"));
    }
}
