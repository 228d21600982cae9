package dev.kvsim.rkvstore;

import dev.kvsim.api.RequestGuard;
import dev.kvsim.core.ServiceError;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service's RPC endpoint at {@code /} of the admin port, GET and POST: reads the request (a body up to
 * {@link #MAX_BODY} bytes), hands it to the {@link RpcGateway} on a worker thread, and writes the JSON answer.
 * A web page's request from another site is refused (403 {@code Forbidden}): the service's clients are SDKs and
 * tools, which send no {@code Origin}. Nothing else of the admin port ({@code /api/v1}, {@code /q/*}) goes through here.
 */
@ApplicationScoped
public class RpcEndpoint {

    /** Form bodies stay small (a thousand whitelist entries are some 20 KB); a larger one is refused unread. */
    static final int MAX_BODY = 1 << 20;

    private final RpcGateway gateway;

    public RpcEndpoint(RpcGateway gateway) {
        this.gateway = gateway;
    }

    void route(@Observes Router router) {
        router.route("/").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String host = req.headers().get("host") == null ? "127.0.0.1" : req.headers().get("host");
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.POST) {
            write(ctx, gateway.refuse(host, new ServiceError(405, "UnsupportedHTTPMethod",
                    "This http method is not supported: the API answers GET and POST; got " + req.method() + ".")));
            return;
        }
        if (req.isEnded()) {  // nothing left to read: Quarkus pauses a request only while it has not ended
            answer(ctx, host, req, Buffer.buffer());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        req.handler(chunk -> {
            if (!tooLarge[0] && body.length() + chunk.length() > MAX_BODY) {
                tooLarge[0] = true;
            } else if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(e -> Log.debugf("R-KVStore API request failed while being read: %s", e.getMessage()));
        req.endHandler(v -> {
            if (tooLarge[0]) {
                write(ctx, gateway.refuse(host, ServiceError.invalid("The request body is larger than " + MAX_BODY
                        + " bytes.")));
                return;
            }
            answer(ctx, host, req, body);
        });
        req.resume();
    }

    /** Runs the call on a worker thread (the services block) and writes its answer. */
    private void answer(RoutingContext ctx, String host, HttpServerRequest req, Buffer body) {
        String crossSite = RequestGuard.crossSiteReason(req);  // after the body is read, so the client gets the answer
        if (crossSite != null) {
            write(ctx, gateway.refuse(host, new ServiceError(403, "Forbidden", crossSite)));
            return;
        }
        RpcGateway.RawRequest raw = new RpcGateway.RawRequest(req.method().name(), req.query(), headers(req),
                body.getBytes());
        ctx.vertx().executeBlocking(() -> gateway.answer(raw), false)
                .onComplete(ar -> write(ctx, ar.succeeded() ? ar.result() : gateway.refuse(host,
                        new ServiceError(500, "InternalError",
                                "The request processing has failed due to some unknown error, exception or failure."))));
    }

    private static Map<String, String> headers(HttpServerRequest req) {
        Map<String, String> out = new LinkedHashMap<>();
        req.headers().forEach(h -> out.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return out;
    }

    private static void write(RoutingContext ctx, RpcGateway.Answer answer) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(answer.status())
                .putHeader("Content-Type", "application/json;charset=utf-8")
                .putHeader("x-acs-request-id", answer.requestId())
                .end(answer.body());
    }
}
