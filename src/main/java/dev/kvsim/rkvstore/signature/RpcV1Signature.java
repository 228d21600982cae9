package dev.kvsim.rkvstore.signature;

import dev.kvsim.rkvstore.FormEncoding;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * HMAC-SHA1 signature version 1.0, the RPC signature of the CLI, Terraform and the SDKs in v2 mode: the
 * method and the sorted, percent-encoded parameters (query and form body, all but {@code Signature}),
 * signed with the secret and {@code &} (openapi-spec §3.2).
 */
public final class RpcV1Signature {

    public static final String METHOD = "HMAC-SHA1";

    private RpcV1Signature() {
    }

    /**
     * @param skipEmpty true as the Java SDK signs (parameters with an empty value left out); false as the old
     *                  Go SDK and the CLI do
     */
    public static String stringToSign(String method, Map<String, String> params, boolean skipEmpty) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> {
            if ("Signature".equals(k) || (skipEmpty && (v == null || v.isEmpty()))) {
                return;
            }
            canonical.append(canonical.isEmpty() ? "" : "&").append(FormEncoding.percentEncode(k)).append('=')
                    .append(FormEncoding.percentEncode(v == null ? "" : v));
        });
        return method + "&" + FormEncoding.percentEncode("/") + "&" + FormEncoding.percentEncode(canonical.toString());
    }

    /** Base64 of the HMAC-SHA1 with the key {@code secret + "&"}. */
    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((secret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
