package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps every failure to the service's error envelope with a fitting HTTP status. A body kvsim
 * cannot read gets a 400 that names the field and what it must be, in the API's words: never a
 * Java type, never a 500.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response serviceError(ServiceError e) {
        return respond(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response badBody(JsonProcessingException e) {
        return respond(400, "InvalidParameter", describe(e));
    }

    // Quarkus maps these subtypes itself (a body with the Java class); the most specific mapper wins.

    @ServerExceptionMapper
    public Response badJson(JsonParseException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response badRead(StreamReadException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response badShape(JsonMappingException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response valueInstantiation(ValueInstantiationException e) {
        return badBody(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException j) {
            return badBody(j);
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            default -> status >= 500 ? "InternalError" : "InvalidParameter";
        };
        return respond(status, code, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.error("admin call failed", e);
        return respond(500, "InternalError", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    static Response respond(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message)).build();
    }

    /** What is wrong with a body, naming the field (a path such as {@code overrides.memoryMb} or {@code [2].ips}). */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(Object::toString)
                    .sorted().collect(Collectors.joining(", "));
            return "Unknown field '" + path(u) + "'; known fields: " + known + ".";
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m);
            String expected = expected(m.getTargetType());
            String got = m instanceof InvalidFormatException f ? "; got " + shown(f.getValue()) : "";
            return field.isEmpty() ? "The request body must be " + expected + got + "."
                    : "Field '" + field + "' must be " + expected + got + ".";
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof InputCoercionException c) {
            return outOfRange(path(m), c);
        }
        if (e instanceof InputCoercionException c) {
            return outOfRange(path(c), c);
        }
        if (e instanceof StreamReadException r) {
            String at = r.getLocation() == null ? "" : " (line " + r.getLocation().getLineNr() + ", column "
                    + r.getLocation().getColumnNr() + ")";
            return "The request body is not valid JSON" + at + ": " + r.getOriginalMessage();
        }
        if (e instanceof JsonMappingException m && !path(m).isEmpty()) {
            return "Field '" + path(m) + "' does not have the expected form.";
        }
        return "The request body does not have the expected form.";
    }

    private static String outOfRange(String field, InputCoercionException c) {
        String range = c.getTargetType() == Integer.TYPE || c.getTargetType() == Integer.class
                ? "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                : c.getTargetType() == Long.TYPE || c.getTargetType() == Long.class
                ? "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE : "a smaller number";
        return (field.isEmpty() ? "A number" : "Field '" + field + "'") + " must be " + range + ".";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The field the parser was reading when it failed. */
    private static String path(StreamReadException e) {
        JsonParser p = e.getProcessor();
        if (p == null) {
            return "";
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /** What a JSON value of the given Java type looks like, in the API's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time such as 2026-11-25T10:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another type";
    }

    private static String shown(Object value) {
        String s = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
