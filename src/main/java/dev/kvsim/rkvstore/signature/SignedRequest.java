package dev.kvsim.rkvstore.signature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a signature covers: the method, the path, the query and form parameters (decoded), the headers by
 * lower-case name and the raw body.
 */
public record SignedRequest(String method, String path, Map<String, String> query, Map<String, String> form,
                            Map<String, String> headers, byte[] body) {

    /** Query and form parameters together, the form's winning: what an HMAC-SHA1 signature covers. */
    public Map<String, String> allParams() {
        Map<String, String> all = new LinkedHashMap<>(query);
        all.putAll(form);
        return all;
    }
}
