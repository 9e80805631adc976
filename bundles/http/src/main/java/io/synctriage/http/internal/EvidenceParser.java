package io.synctriage.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Reads a request body into plain Java values with exactly the outcome of {@link JsonMapping#EVIDENCE_READER}
 * (the same LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean and null; the same
 * errors), for less CPU and a third less garbage: it builds the maps and lists from jackson-core's tokens
 * itself instead of going through databind's untyped deserializer, and finds a duplicate key from the map's
 * size rather than with the parser's own set of names per object. (Tokenising, which stays Jackson's, is most
 * of what remains.)
 *
 * <p>Only a body that is one well-formed JSON object with no duplicate key takes that path: that is every
 * request worth diagnosing. Any other body (a syntax error, a duplicate key, trailing tokens, undecodable
 * bytes, a body that is not an object, nesting deeper than {@link #MAX_DEPTH}) is read again by
 * EVIDENCE_READER, so that the error, its message and its line and column are Jackson's own. Such a body
 * costs a second parse, which is bounded by the same body-size limit and request permit.
 */
final class EvidenceParser {

    /**
     * How deep the walk below recurses: far deeper than any evidence bundle (about five levels), far shallower
     * than the parser's nesting limit (StreamReadConstraints, 1000), which recursion would need a thread stack
     * of about half a megabyte for. Deeper bodies are left to EVIDENCE_READER, whose deserializer does not
     * recurse.
     */
    private static final int MAX_DEPTH = 64;

    /**
     * The mapper's JSON factory (its read constraints: nesting depth, number and string lengths) without
     * duplicate detection, which {@link #object} does.
     */
    private static final JsonFactory FACTORY = JsonMapping.MAPPER.getFactory().rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EvidenceParser() {
    }

    /** The body as plain values, or the exception EVIDENCE_READER throws for it. */
    static Object read(byte[] body) throws IOException {
        try {
            Map<String, Object> bundle = readObject(body);
            if (bundle != null) {
                return bundle;
            }
        } catch (IOException | NotPlain e) {
            // Jackson's reader below says what is wrong, in its own words.
        }
        return JsonMapping.EVIDENCE_READER.readValue(body);
    }

    /** The body's object, or null when the body is another value or has tokens after the object. */
    private static Map<String, Object> readObject(byte[] body) throws IOException, NotPlain {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> bundle = object(p, 1);
            return p.nextToken() == null ? bundle : null;
        }
    }

    /** The object whose START_OBJECT the parser is on, {@code depth} containers deep. */
    private static Map<String, Object> object(JsonParser p, int depth) throws IOException, NotPlain {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            Object value = value(p, p.nextToken(), depth);
            int size = map.size();
            map.put(name, value);
            if (map.size() == size) {
                throw new NotPlain(); // the key was there already
            }
        }
        return map;
    }

    private static List<Object> array(JsonParser p, int depth) throws IOException, NotPlain {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(value(p, t, depth));
        }
        return list;
    }

    /**
     * The value starting at token {@code t} inside a container {@code depth} deep, as databind's untyped
     * deserializer (UntypedObjectDeserializerNR) makes it.
     */
    private static Object value(JsonParser p, JsonToken t, int depth) throws IOException, NotPlain {
        if (t == null) {
            throw new NotPlain(); // end of input inside a value: the parser normally reports it first
        }
        switch (t) {
            case START_OBJECT:
            case START_ARRAY:
                if (depth == MAX_DEPTH) {
                    throw new NotPlain();
                }
                return t == JsonToken.START_OBJECT ? object(p, depth + 1) : array(p, depth + 1);
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue(); // Integer, Long or BigInteger, the smallest that holds it
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new NotPlain();
        }
    }

    /** The body is not one plain object: leave it to EVIDENCE_READER. Thrown rarely, so no stack trace. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }
}
