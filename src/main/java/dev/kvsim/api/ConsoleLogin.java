package dev.kvsim.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The console's side of {@code kvsim.api.token}: a browser cannot send an Authorization header with a
 * page load, so the console asks for the token once (a plain form, no script) and keeps it in a
 * cookie that only kvsim's own pages send ({@code SameSite=Strict}, {@code HttpOnly}); the admin API
 * takes the cookie as it takes the header, so the console's calls carry it by themselves.
 */
final class ConsoleLogin {

    /** The cookie that carries the token. */
    static final String COOKIE = "kvsim-token";
    /** Where the form posts the token. */
    static final String PATH = "/console/token";
    private static final int MAX_FORM = 4096;

    private ConsoleLogin() {
    }

    /** The token a request's cookie carries, or null. */
    static String fromCookie(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        return c == null ? null : URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8);
    }

    /** The form that asks for the token: 401, with {@code message} when the last try was wrong. */
    static void ask(RoutingContext ctx, String message) {
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kvsim console</title></head>"
                + "<body><h1>kvsim console</h1><p>This kvsim requires its API token (<code>kvsim.api.token</code>)."
                + " It is kept in a cookie for this site only.</p>"
                + (message == null ? "" : "<p role=\"alert\">" + message + "</p>")
                + "<form method=\"post\" action=\"" + PATH + "\"><label>Token <input type=\"password\" name=\"token\""
                + " autocomplete=\"current-password\" required></label> <button type=\"submit\">Open the console</button>"
                + "</form></body></html>";
        ctx.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=utf-8")
                .putHeader("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
                .putHeader("Cache-Control", "no-store").end(page);
    }

    /**
     * The form's POST: the right token sets the cookie and sends the browser to the console (303);
     * a wrong one asks again. Only kvsim's own page may post it (the caller checked the origin).
     */
    static void submit(RoutingContext ctx, Predicate<String> rightToken) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").end();
            return;
        }
        StringBuilder form = new StringBuilder();
        if (ctx.request().isEnded()) {
            answer(ctx, form.toString(), rightToken);
            return;
        }
        ctx.request().handler(chunk -> {
            if (form.length() + chunk.length() <= MAX_FORM) {
                form.append(chunk.toString(StandardCharsets.UTF_8));
            }
        });
        ctx.request().endHandler(v -> answer(ctx, form.toString(), rightToken));
        ctx.request().resume();
    }

    private static void answer(RoutingContext ctx, String form, Predicate<String> rightToken) {
        String given = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                given = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        if (given == null || !rightToken.test(given)) {
            ask(ctx, "That is not this kvsim's token.");
            return;
        }
        Cookie cookie = Cookie.cookie(COOKIE, URLEncoder.encode(given, StandardCharsets.UTF_8)).setPath("/")
                .setHttpOnly(true).setSameSite(CookieSameSite.STRICT);
        ctx.response().addCookie(cookie).setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/console").end();
    }
}
