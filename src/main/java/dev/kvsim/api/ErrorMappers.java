package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Maps every failure to the service's error envelope with a fitting HTTP status. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response serviceError(ServiceError e) {
        return respond(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return respond(400, "InvalidParameter", "Unknown field '" + e.getPropertyName() + "'; known fields: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ".");
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                .collect(Collectors.joining("."));
        return respond(400, "InvalidParameter", field.isEmpty()
                ? "The request body does not have the expected shape: " + e.getOriginalMessage()
                : "Field '" + field + "' must be " + expected(e.getTargetType()) + ".");
    }

    /** What a JSON value of the given Java type looks like, in the API's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return respond(400, "InvalidParameter", "The request body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException u) {
            return unknownField(u);
        }
        if (e.getCause() instanceof MismatchedInputException m) {
            return mismatchedInput(m);
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return badJson(j);
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
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
}
