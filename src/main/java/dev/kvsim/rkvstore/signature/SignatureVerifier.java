package dev.kvsim.rkvstore.signature;

import dev.kvsim.rkvstore.RkvstoreApiConfig;
import dev.kvsim.core.ServiceError;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict mode ({@code kvsim.rkvstore-api.access-keys} set): every call must carry a valid ACS3-HMAC-SHA256
 * ({@code Authorization} header) or HMAC-SHA1 ({@code Signature} parameter) signature by a configured access
 * key. Without access keys, any credentials are accepted and nothing is checked.
 */
@ApplicationScoped
public class SignatureVerifier {

    private static final String INCOMPLETE = "The request signature does not conform to Aliyun standards. ";

    private final Map<String, String> secrets;

    public SignatureVerifier(RkvstoreApiConfig config) {
        this.secrets = parse(config.accessKeys().orElse(List.of()));
    }

    /** @throws IllegalStateException for an entry that is not {@code id=secret} */
    static Map<String, String> parse(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalStateException("kvsim.rkvstore-api.access-keys: '" + (eq <= 0 ? pair : pair.substring(0, eq))
                        + "…' is not AccessKeyId=AccessKeySecret");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(out);
    }

    public boolean strict() {
        return !secrets.isEmpty();
    }

    /**
     * @throws ServiceError 400 IncompleteSignature (no or a malformed signature), 404 InvalidAccessKeyId.NotFound,
     *                  400 SignatureDoesNotMatch
     */
    public void verify(SignedRequest r) {
        if (!strict()) {
            return;
        }
        String authorization = r.headers().get("authorization");
        if (authorization != null && authorization.trim().startsWith("ACS3-")) {
            verifyAcs3(r, authorization);
        } else if (r.allParams().containsKey("Signature")) {
            verifyV1(r);
        } else {
            throw new ServiceError(400, "IncompleteSignature", INCOMPLETE + "The request carries no signature (an "
                    + "ACS3-HMAC-SHA256 Authorization header or an HMAC-SHA1 Signature parameter), and kvsim checks "
                    + "signatures because kvsim.rkvstore-api.access-keys is set.");
        }
    }

    private void verifyAcs3(SignedRequest r, String header) {
        Acs3Signature.Authorization a = Acs3Signature.Authorization.parse(header).orElseThrow(() ->
                new ServiceError(400, "IncompleteSignature", INCOMPLETE + "The Authorization header is not "
                        + "'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>'."));
        if (!Acs3Signature.ALGORITHM.equals(a.algorithm())) {
            throw new ServiceError(400, "IncompleteSignature", INCOMPLETE + "kvsim verifies " + Acs3Signature.ALGORITHM
                    + " and " + RpcV1Signature.METHOD + " signatures; got " + a.algorithm() + ".");
        }
        String secret = secretOf(a.accessKeyId());
        String payloadHash = r.headers().get("x-acs-content-sha256");
        if (payloadHash == null) {
            throw new ServiceError(400, "IncompleteSignature", INCOMPLETE + "The x-acs-content-sha256 header is missing.");
        }
        if (!payloadHash.equalsIgnoreCase(Acs3Signature.sha256Hex(r.body()))) {
            throw new ServiceError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                    + "The x-acs-content-sha256 header is not the SHA-256 of the request body.");
        }
        String stringToSign = Acs3Signature.stringToSign(Acs3Signature.canonicalRequest(r.method(), r.path(), r.query(),
                r.headers(), a.signedHeaders(), payloadHash));
        if (!same(a.signature(), Acs3Signature.sign(secret, stringToSign))) {
            throw mismatch(stringToSign);
        }
    }

    private void verifyV1(SignedRequest r) {
        Map<String, String> params = r.allParams();
        String method = params.get("SignatureMethod");
        if (method != null && !method.equals(RpcV1Signature.METHOD)) {
            throw new ServiceError(400, "IncompleteSignature", INCOMPLETE + "kvsim verifies " + Acs3Signature.ALGORITHM
                    + " and " + RpcV1Signature.METHOD + " signatures; got SignatureMethod " + method + ".");
        }
        String accessKeyId = params.get("AccessKeyId");
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            throw new ServiceError(400, "IncompleteSignature", INCOMPLETE + "The AccessKeyId parameter is missing.");
        }
        String secret = secretOf(accessKeyId);
        String given = params.get("Signature");
        // the Java SDK leaves empty-valued parameters out of what it signs, the Go SDK and the CLI keep them
        String withoutEmpty = RpcV1Signature.stringToSign(r.method(), params, true);
        String withEmpty = RpcV1Signature.stringToSign(r.method(), params, false);
        if (!same(given, RpcV1Signature.sign(secret, withoutEmpty)) && !same(given, RpcV1Signature.sign(secret, withEmpty))) {
            throw mismatch(withEmpty);
        }
    }

    private String secretOf(String accessKeyId) {
        String secret = secrets.get(accessKeyId);
        if (secret == null) {
            throw new ServiceError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        return secret;
    }

    private static ServiceError mismatch(String stringToSign) {
        return new ServiceError(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                + "server string to sign is:" + stringToSign);
    }

    private static boolean same(String a, String b) {
        return a != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
