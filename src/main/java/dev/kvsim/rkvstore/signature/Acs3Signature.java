package dev.kvsim.rkvstore.signature;

import dev.kvsim.rkvstore.FormEncoding;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ACS3-HMAC-SHA256, the current SDKs' signature: an HMAC-SHA256 over a canonical request of method, path,
 * sorted query, the signed headers and the body's SHA-256 (openapi-spec §3.1).
 */
public final class Acs3Signature {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private static final Pattern HEADER = Pattern.compile(
            "(ACS3-[A-Z0-9-]+)\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]*)\\s*,\\s*Signature=([0-9a-fA-F]+)\\s*");

    private Acs3Signature() {
    }

    /** An {@code Authorization: ACS3-… Credential=…,SignedHeaders=a;b,Signature=…} header. */
    public record Authorization(String algorithm, String accessKeyId, List<String> signedHeaders, String signature) {

        public static Optional<Authorization> parse(String header) {
            if (header == null) {
                return Optional.empty();
            }
            Matcher m = HEADER.matcher(header.trim());
            if (!m.matches()) {
                return Optional.empty();
            }
            List<String> signed = m.group(3).isEmpty() ? List.of() : List.of(m.group(3).split(";"));
            return Optional.of(new Authorization(m.group(1), m.group(2), signed, m.group(4).toLowerCase()));
        }
    }

    /**
     * @param path          the request path ("" counts as "/")
     * @param query         the query's parameters, decoded
     * @param headers       the request's headers by lower-case name
     * @param signedHeaders lower-case names, as the Authorization header lists them
     * @param payloadHash   the hex SHA-256 of the body ({@code x-acs-content-sha256})
     */
    public static String canonicalRequest(String method, String path, Map<String, String> query,
                                          Map<String, String> headers, List<String> signedHeaders, String payloadHash) {
        StringBuilder q = new StringBuilder();
        new TreeMap<>(query).forEach((k, v) -> {
            q.append(q.isEmpty() ? "" : "&").append(FormEncoding.percentEncode(k)).append('=');
            if (v != null && !v.isEmpty()) {
                q.append(FormEncoding.percentEncode(v));
            }
        });
        StringBuilder h = new StringBuilder();
        for (String name : signedHeaders) {
            String value = headers.get(name);
            h.append(name).append(':').append(value == null ? "" : value.trim()).append('\n');
        }
        return method + "\n" + (path == null || path.isEmpty() ? "/" : path) + "\n" + q + "\n" + h + "\n"
                + String.join(";", signedHeaders) + "\n" + payloadHash;
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The hex HMAC-SHA256 of the string to sign. */
    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
