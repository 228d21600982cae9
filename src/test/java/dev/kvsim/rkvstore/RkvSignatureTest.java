package dev.kvsim.rkvstore;

import com.aliyun.tea.TeaRequest;
import dev.kvsim.rkvstore.signature.Acs3Signature;
import dev.kvsim.rkvstore.signature.RpcV1Signature;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both signature algorithms against the published test vectors (openapi-spec §3) and the SDK's own signer. */
class RkvSignatureTest {

    private static final String SM3_OF_TEST = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";

    @Test
    void acs3ReproducesTheSpecVector() {
        Map<String, String> query = Map.of("test", "ok", "empty", "");
        Map<String, String> headers = Map.of("x-acs-test", "http");
        String canonical = Acs3Signature.canonicalRequest("GET", "", query, headers, List.of("x-acs-test"), SM3_OF_TEST);
        assertEquals("GET\n/\nempty=&test=ok\nx-acs-test:http\n\nx-acs-test\n" + SM3_OF_TEST, canonical);
        assertEquals("02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7",
                Acs3Signature.sign("secret", Acs3Signature.stringToSign(canonical)));
    }

    @Test
    void acs3AgreesWithTheSdkSignerOnEncodedValues() throws Exception {
        Map<String, String> query = new HashMap<>(Map.of("InstanceId", "r-abc", "Tag.1.Key", "env ~*/é", "Empty", ""));
        Map<String, String> headers = new HashMap<>(Map.of("host", "127.0.0.1:8379", "x-acs-action", "TagResources",
                "x-acs-version", "2015-01-01", "x-acs-date", "2026-12-07T18:59:34Z",
                "x-acs-signature-nonce", "n1", "x-acs-content-sha256", Acs3Signature.sha256Hex(new byte[0])));
        TeaRequest tea = new TeaRequest();
        tea.method = "POST";
        tea.pathname = "/";
        tea.query = query;
        tea.headers = headers;
        String sdk = com.aliyun.openapiutil.Client.getAuthorization(tea, Acs3Signature.ALGORITHM,
                headers.get("x-acs-content-sha256"), "ak", "sk");
        Acs3Signature.Authorization parsed = Acs3Signature.Authorization.parse(sdk).orElseThrow();
        assertEquals("ak", parsed.accessKeyId());
        String mine = Acs3Signature.sign("sk", Acs3Signature.stringToSign(Acs3Signature.canonicalRequest("POST", "/",
                query, headers, parsed.signedHeaders(), headers.get("x-acs-content-sha256"))));
        assertEquals(parsed.signature(), mine);
    }

    @Test
    void v1ReproducesTheSpecVector() {
        String stringToSign = RpcV1Signature.stringToSign("GET", Map.of("query", "test", "body", "test"), true);
        assertEquals("GET&%2F&body%3Dtest%26query%3Dtest", stringToSign);
        assertEquals("XlUyV4sXjOuX5FnjUz9IF9tm5rU=", RpcV1Signature.sign("secret", stringToSign));
    }

    @Test
    void v1WithoutEmptyValuesIsTheJavaSdksAndWithThemTheGoSdks() throws Exception {
        Map<String, String> params = Map.of("Action", "DescribeInstances", "SignatureType", "", "RegionId", "cn-hangzhou",
                "Timestamp", "2026-12-07T18:59:34Z", "Signature", "ignored");
        String javaSdk = com.aliyun.openapiutil.Client.getRPCSignature(new HashMap<>(Map.of("Action", "DescribeInstances",
                "SignatureType", "", "RegionId", "cn-hangzhou", "Timestamp", "2026-12-07T18:59:34Z")), "POST", "sk");
        assertEquals(javaSdk, RpcV1Signature.sign("sk", RpcV1Signature.stringToSign("POST", params, true)));
        String withEmpty = RpcV1Signature.stringToSign("POST", params, false);
        assertTrue(withEmpty.contains("SignatureType%3D%26"), withEmpty);
        assertNotEquals(javaSdk, RpcV1Signature.sign("sk", withEmpty));
    }

    @Test
    void authorizationHeadersThatAreNotAcs3AreNotParsed() {
        assertTrue(Acs3Signature.Authorization.parse("Bearer abc").isEmpty());
        assertTrue(Acs3Signature.Authorization.parse("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host").isEmpty());
        assertEquals(List.of("host", "x-acs-date"), Acs3Signature.Authorization
                .parse("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=0aF1").orElseThrow()
                .signedHeaders());
    }
}
