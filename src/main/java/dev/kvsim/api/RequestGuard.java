package dev.kvsim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may call kvsim's HTTP surfaces, checked before any of them runs (a Vert.x route ahead of
 * every other): kvsim listens on loopback, but every web page in the user's browser can reach
 * loopback too. Each surface has its own {@link Check}s:
 *
 * <ul>
 * <li>{@code /api/v1}: the {@code Host} names loopback or a host of {@code kvsim.api.allowed-hosts}
 *     (a page that rebinds its DNS name to 127.0.0.1 cannot read the answers); an {@code Origin},
 *     when sent, is kvsim's own, and no {@code Sec-Fetch-Site: cross-site}; the token of
 *     {@code kvsim.api.token}, when set; a body of at most {@code kvsim.api.max-body-size};
 *     and a request that changes something carries JSON ({@code text/plain} and form bodies, which a
 *     page may send without asking, are refused).</li>
 * <li>{@code /console}: the {@code Host}, and the token when set, which a browser keeps in a
 *     {@code SameSite=Strict} cookie that the admin API takes too ({@link ConsoleLogin}).</li>
 * <li>{@code /q/*} (health, OpenAPI document): no check, for probes.</li>
 * </ul>
 *
 * <p>The service's OpenAPI at {@code /} (forms and GETs are its protocol) refuses cross-site
 * requests itself, in the service's error shape, through {@link #crossSiteReason}.
 */
@ApplicationScoped
public class RequestGuard {

    /** Ahead of Quarkus's own body-size check (order -2), which answers 413 with no body and closes at once. */
    static final int ORDER = -10;
    /** How much of a refused request's body kvsim reads and discards, so that the client gets the answer instead of a reset. */
    private static final long DRAIN_LIMIT = 64L << 20;
    private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    enum Check { HOST, SAME_ORIGIN, NOT_CROSS_SITE, TOKEN, BODY_SIZE, JSON_BODY }

    enum Surface {
        ADMIN_API(List.of(Check.HOST, Check.SAME_ORIGIN, Check.NOT_CROSS_SITE, Check.TOKEN, Check.BODY_SIZE, Check.JSON_BODY)),
        /** The console's pages: a link from elsewhere may open them; its calls are the admin API's. */
        CONSOLE(List.of(Check.HOST, Check.TOKEN)),
        /** The console's token form: only kvsim's own page posts it. */
        CONSOLE_LOGIN(List.of(Check.HOST, Check.SAME_ORIGIN, Check.NOT_CROSS_SITE)),
        UNGUARDED(List.of());

        final List<Check> checks;

        Surface(List<Check> checks) {
            this.checks = checks;
        }

        static Surface of(String path) {
            if (path != null && (path.equals("/api/v1") || path.startsWith("/api/v1/"))) {
                return ADMIN_API;
            }
            if (ConsoleLogin.PATH.equals(path)) {
                return CONSOLE_LOGIN;
            }
            if (path != null && (path.equals("/console") || path.startsWith("/console/"))) {
                return CONSOLE;
            }
            return UNGUARDED;  // /q/* (health and the OpenAPI document, for probes) and what no route serves
        }
    }

    /** Why a request is refused: an HTTP status and the error envelope's code and message. */
    record Refusal(int status, String code, String message) {
    }

    private final Optional<String> token;
    private final Set<String> allowedHosts;
    private final long maxBody;
    private final ObjectMapper json;

    public RequestGuard(@ConfigProperty(name = "kvsim.api.token") Optional<String> token,
                        @ConfigProperty(name = "kvsim.api.allowed-hosts") Optional<List<String>> allowedHosts,
                        @ConfigProperty(name = "kvsim.api.max-body-size") MemorySize maxBody, ObjectMapper json) {
        this.token = token.filter(t -> !t.isBlank());
        this.allowedHosts = allowedHosts.orElse(List.of()).stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.maxBody = maxBody.asLongValue();
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Surface surface = Surface.of(ctx.normalizedPath());
        for (Check check : surface.checks) {
            Refusal refusal = check == Check.TOKEN && sameToken(ConsoleLogin.fromCookie(ctx)) ? null : check(check, ctx.request());
            if (refusal != null && surface == Surface.CONSOLE && check == Check.TOKEN) {
                ConsoleLogin.ask(ctx, null);
                return;
            }
            if (refusal != null) {
                refuse(ctx, refusal);
                return;
            }
        }
        if (surface == Surface.CONSOLE_LOGIN) {
            ConsoleLogin.submit(ctx, this::sameToken);
            return;
        }
        ctx.next();
    }

    private Refusal check(Check check, HttpServerRequest req) {
        return switch (check) {
            // host(): the Host header, or HTTP/2's :authority
            case HOST -> allowedHost(req.host()) ? null : new Refusal(403, "Forbidden",
                    "The Host header '" + shown(req.host()) + "' does not name kvsim: use a loopback"
                    + " address or localhost, or list the host in kvsim.api.allowed-hosts.");
            case SAME_ORIGIN -> foreignOrigin(req) ? new Refusal(403, "Forbidden", "Requests from the web page at origin '"
                    + shown(req.getHeader(HttpHeaders.ORIGIN)) + "' are refused: only kvsim's own origin ("
                    + ownOrigin(req) + ") may call the admin API from a browser.") : null;
            case NOT_CROSS_SITE -> crossSiteFetch(req)
                    ? new Refusal(403, "Forbidden", "Cross-site requests (Sec-Fetch-Site: cross-site) are refused.") : null;
            case TOKEN -> token.isEmpty() || sameBearer(req.getHeader(HttpHeaders.AUTHORIZATION)) ? null
                    : new Refusal(401, "InvalidToken", "This kvsim requires its API token (kvsim.api.token):"
                    + " send the header Authorization: Bearer <token>.");
            case BODY_SIZE -> {
                long length = contentLength(req);
                yield length > maxBody ? new Refusal(413, "RequestEntityTooLarge", "The request body has " + length
                        + " bytes; the admin API takes at most " + maxBody + ".") : null;
            }
            case JSON_BODY -> {
                String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
                boolean json = type != null && isJson(type);
                // a bodiless call may name any type (some clients send a form type with no form)
                boolean needsJson = CHANGING.contains(req.method()) && hasBody(req);
                yield needsJson && !json ? new Refusal(415, "UnsupportedMediaType", "A request that changes something"
                        + " takes a JSON body, or none: send Content-Type: application/json"
                        + (type == null ? "" : " (got '" + shown(type) + "')") + ".") : null;
            }
        };
    }

    /**
     * Answers with the error envelope. A body the client is sending is read and thrown away first
     * (up to {@link #DRAIN_LIMIT}): closing on unread data would reset the connection before the
     * client reads the answer. A client that waits for {@code 100 Continue} sends no body.
     */
    private void refuse(RoutingContext ctx, Refusal refusal) {
        HttpServerRequest req = ctx.request();
        String body;
        try {
            body = json.writeValueAsString(ApiError.of(refusal.code(), refusal.message()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Runnable answer = () -> {
            var response = ctx.response().setStatusCode(refusal.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            if (refusal.status() == 401) {
                response.putHeader("WWW-Authenticate", "Bearer realm=\"kvsim\"");
            }
            response.end(body);
        };
        boolean expectsContinue = "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT));
        if (req.isEnded() || !hasBody(req) || expectsContinue) {
            if (expectsContinue && !req.isEnded()) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            answer.run();
            return;
        }
        long[] drained = {0};
        req.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMIT) {
                req.connection().close();
            }
        });
        req.exceptionHandler(e -> { });
        req.endHandler(v -> answer.run());
        req.resume();
    }

    /**
     * Why a browser's request from another site is refused, or null when it is not one: an {@code Origin} other
     * than kvsim's own, or {@code Sec-Fetch-Site: cross-site}. The service's API at {@code /} asks this too and
     * answers in its own error shape (its clients send forms and GETs, so a JSON body cannot tell a page apart).
     */
    public static String crossSiteReason(HttpServerRequest req) {
        if (foreignOrigin(req)) {
            return "Requests from the web page at origin '" + shown(req.getHeader(HttpHeaders.ORIGIN))
                    + "' are refused: only kvsim's own origin (" + ownOrigin(req) + ") may call kvsim from a browser.";
        }
        return crossSiteFetch(req) ? "Cross-site requests (Sec-Fetch-Site: cross-site) are refused." : null;
    }

    private static boolean foreignOrigin(HttpServerRequest req) {
        String origin = req.getHeader(HttpHeaders.ORIGIN);
        return origin != null && !origin.equalsIgnoreCase(ownOrigin(req));
    }

    private static String ownOrigin(HttpServerRequest req) {
        return req.scheme() + "://" + req.host();
    }

    private static boolean crossSiteFetch(HttpServerRequest req) {
        return "cross-site".equalsIgnoreCase(req.getHeader("Sec-Fetch-Site"));
    }

    private boolean allowedHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(1, end);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.equals("::1") || IPV4_LOOPBACK.matcher(host).matches()
                || allowedHosts.contains(host);
    }

    private boolean sameBearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return sameToken(authorization.substring(7).trim());
    }

    /** Whether {@code given} is the configured token (false when none is set or none is given). */
    private boolean sameToken(String given) {
        return token.isPresent() && given != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static long contentLength(HttpServerRequest req) {
        try {
            String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;  // the HTTP codec refuses a malformed length before any route runs
        }
    }

    private static boolean hasBody(HttpServerRequest req) {
        return contentLength(req) > 0 || req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 100 ? value.substring(0, 100) + "…" : value;
    }
}
