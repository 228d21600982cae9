package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvsim.lifecycle.StartupGate;
import dev.kvsim.rkvstore.signature.SignatureVerifier;
import dev.kvsim.rkvstore.signature.SignedRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One RPC call from raw HTTP to its JSON answer, as the service's gateway does it: parameters from the query
 * and a form body, the action and version, the signature (strict mode), the action itself; every refusal as
 * the service's error object. Blocking: runs on a worker thread.
 */
@ApplicationScoped
public class RpcGateway {

    public static final String VERSION = "2015-01-01";

    private final RpcDispatcher dispatcher;
    private final SignatureVerifier signatures;
    private final ObjectMapper json;

    public RpcGateway(RpcDispatcher dispatcher, SignatureVerifier signatures, ObjectMapper json) {
        this.dispatcher = dispatcher;
        this.signatures = signatures;
        // the SDK models' names: InstanceId, Instances.DBInstanceAttribute (irregular ones are spelt out)
        this.json = json.copy().setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    /** A request as it came: headers by lower-case name (first value), the raw query string and body. */
    public record RawRequest(String method, String rawQuery, Map<String, String> headers, byte[] body) {
    }

    /** The HTTP status and the JSON body to send. */
    public record Answer(int status, String requestId, String body) {
    }

    public Answer answer(RawRequest raw) {
        String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        String host = raw.headers().getOrDefault("host", "127.0.0.1");
        try {
            return success(requestId, handle(raw, host));
        } catch (ServiceError e) {
            Log.debugf("%s %s: %s", e.status(), e.code(), e.getMessage());
            return error(requestId, host, e);
        } catch (RuntimeException e) {
            Log.error("R-KVStore API call failed", e);
            return error(requestId, host, new ServiceError(500, "InternalError",
                    "The request processing has failed due to some unknown error, exception or failure."));
        }
    }

    /** Refusals that come before any parameter is read: a method other than GET or POST, a body too large. */
    public Answer refuse(String host, ServiceError e) {
        return error(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), host, e);
    }

    private Object handle(RawRequest raw, String host) {
        if (StartupGate.isStarting()) {
            throw new ServiceError(503, "ServiceUnavailable",
                    "kvsim is starting: its stored instances are being restored. Retry shortly.");
        }
        Map<String, String> query = FormEncoding.decode(raw.rawQuery(), "query string");
        Map<String, String> form = isForm(raw.headers().get("content-type"))
                ? FormEncoding.decode(new String(raw.body(), StandardCharsets.UTF_8), "form body") : Map.of();
        Map<String, String> params = new LinkedHashMap<>(query);
        params.putAll(form);
        String action = present(params.get("Action"), raw.headers().get("x-acs-action"));
        if (action == null) {
            throw RpcErrors.missing("Action");
        }
        String version = present(params.get("Version"), raw.headers().get("x-acs-version"));
        if (version == null) {
            throw RpcErrors.missing("Version");
        }
        if (!VERSION.equals(version)) {
            throw new ServiceError(400, "InvalidVersion", "Specified parameter Version is not valid: R-KVStore's version is "
                    + VERSION + "; got '" + version + "'.");
        }
        signatures.verify(new SignedRequest(raw.method(), "/", query, form, raw.headers(), raw.body()));
        return dispatcher.dispatch(new RpcRequest(action, host, params));
    }

    private static boolean isForm(String contentType) {
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static String present(String a, String b) {
        return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : null;
    }

    private Answer success(String requestId, Object result) {
        ObjectNode body = json.createObjectNode().put("RequestId", requestId);
        if (result != null) {
            body.setAll((ObjectNode) json.valueToTree(result));
        }
        return new Answer(200, requestId, write(body));
    }

    private Answer error(String requestId, String host, ServiceError e) {
        ObjectNode body = json.createObjectNode().put("RequestId", requestId).put("HostId", host)
                .put("Code", e.code()).put("Message", e.getMessage())
                .put("Recommend", "kvsim: docs/rkvstore-api.md lists the actions kvsim serves, their parameters and errors.");
        return new Answer(e.status(), requestId, write(body));
    }

    private String write(ObjectNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
