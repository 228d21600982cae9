package dev.kvsim.rkvstore;

import dev.kvsim.core.ServiceError;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two encodings of the RPC API: {@code application/x-www-form-urlencoded} (query strings and form bodies,
 * where {@code +} is a space) and the RFC 3986 percent-encoding both signatures canonicalise with.
 */
public final class FormEncoding {

    private FormEncoding() {
    }

    /**
     * Decodes {@code a=1&b=&c}; a name given twice keeps its last value.
     *
     * @param what "query string" or "form body", for the error message
     * @throws ServiceError 400 InvalidParameter for a malformed percent-escape
     */
    public static Map<String, String> decode(String encoded, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodePart(eq < 0 ? pair : pair.substring(0, eq), what);
            String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1), what);
            out.put(name, value);
        }
        return out;
    }

    private static String decodePart(String part, String what) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ServiceError.invalid("The " + what + " is not valid URL encoding: '" + shorten(part) + "' has a malformed %-escape.");
        }
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** RFC 3986: every byte but {@code A-Za-z0-9-_.~} as %XX (the signatures' percentEncode). */
    public static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
