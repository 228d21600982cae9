package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.DescribeRegionsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeZonesRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Strict mode: with {@code kvsim.rkvstore-api.access-keys} set, both signatures are verified. The SDK's, the
 * CLI's and Terraform's correct signatures pass; a wrong secret, an unknown key, a tampered parameter or body
 * and a missing signature are refused with the service's codes.
 */
@QuarkusTest
@TestProfile(RkvStrictModeTest.Keys.class)
class RkvStrictModeTest {

    static final String KEY = "kvsim-test";
    static final String SECRET = "s3cret=key";

    public static class Keys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kvsim.rkvstore-api.access-keys", KEY + "=" + SECRET + ",other=other-secret");
        }
    }

    @Test
    void theSdksCorrectSignaturesPassInBothModes() throws Exception {
        for (String mode : new String[] {null, "v2"}) {
            Client c = RkvClients.sdk(KEY, SECRET, mode);
            assertEquals("cn-hangzhou", c.describeRegions(new DescribeRegionsRequest()).getBody().getRegionIds()
                    .getKVStoreRegion().get(0).getRegionId());
            assertEquals(4, c.describeZones(new DescribeZonesRequest().setRegionId("cn-hangzhou")).getBody().getZones()
                    .getKVStoreZone().size());
        }
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIsRefused() {
        for (String mode : new String[] {null, "v2"}) {
            TeaException wrong = assertThrows(TeaException.class,
                    () -> RkvClients.sdk(KEY, "not-the-secret", mode).describeRegions(new DescribeRegionsRequest()));
            assertEquals("SignatureDoesNotMatch", wrong.getCode());
            assertEquals(400, wrong.getStatusCode());
            TeaException unknown = assertThrows(TeaException.class,
                    () -> RkvClients.sdk("nobody", SECRET, mode).describeRegions(new DescribeRegionsRequest()));
            assertEquals("InvalidAccessKeyId.NotFound", unknown.getCode());
            assertEquals(404, unknown.getStatusCode());
        }
    }

    @Test
    void aRequestWithoutSignatureIsRefused() {
        given().get("/?Action=DescribeRegions&Version=2015-01-01").then().statusCode(400)
                .body("Code", equalTo("IncompleteSignature"));
        given().header("Authorization", "ACS3-HMAC-SHA256 Credential=" + KEY).header("x-acs-action", "DescribeRegions")
                .header("x-acs-version", "2015-01-01").get("/").then().statusCode(400)
                .body("Code", equalTo("IncompleteSignature"));
    }

    @Test
    void theCliAndTerraformSignaturesPassAndATamperedParameterIsRefused() throws Exception {
        RawRpc.cli("DescribeZones", Map.of("RegionId", "cn-hangzhou"), KEY, SECRET).then().statusCode(200);
        RawRpc.terraform("DescribeZones", new LinkedHashMap<>(Map.of("RegionId", "cn-hangzhou", "Password", "")),
                KEY, SECRET).then().statusCode(200);

        Map<String, String> q = RawRpc.common("DescribeZones", KEY);
        q.put("RegionId", "cn-hangzhou");
        q.put("Signature", com.aliyun.openapiutil.Client.getRPCSignature(new HashMap<>(q), "GET", SECRET));
        given().urlEncodingEnabled(false).get("/?" + RawRpc.form(q)).then().statusCode(200);
        q.put("RegionId", "cn-shanghai");
        given().urlEncodingEnabled(false).get("/?" + RawRpc.form(q)).then().statusCode(400)
                .body("Code", equalTo("SignatureDoesNotMatch"))
                .body("Message", containsString("RegionId%3Dcn-shanghai"));
    }

    /** ACS3 as the SDK signs it (its own signer), then one query parameter or the body changed after signing. */
    @Test
    void aTamperedAcs3RequestIsRefused() throws Exception {
        Map<String, String> query = new HashMap<>(Map.of("RegionId", "cn-hangzhou"));
        acs3(query, "").get("/?RegionId=cn-hangzhou").then().statusCode(200);
        acs3(query, "").get("/?RegionId=cn-beijing").then().statusCode(400).body("Code", equalTo("SignatureDoesNotMatch"));
        Response withBody = acs3(query, "").contentType("application/x-www-form-urlencoded").body("RegionId=cn-beijing")
                .post("/?RegionId=cn-hangzhou");
        withBody.then().statusCode(400).body("Code", equalTo("SignatureDoesNotMatch"))
                .body("Message", containsString("x-acs-content-sha256"));
    }

    private static RequestSpecification acs3(Map<String, String> query, String body) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", RkvClients.endpoint());
        headers.put("x-acs-action", "DescribeZones");
        headers.put("x-acs-version", "2015-01-01");
        headers.put("x-acs-date", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        headers.put("x-acs-signature-nonce", java.util.UUID.randomUUID().toString());
        String payload = com.aliyun.openapiutil.Client.hexEncode(com.aliyun.openapiutil.Client.hash(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "ACS3-HMAC-SHA256"));
        headers.put("x-acs-content-sha256", payload);
        TeaRequest tea = new TeaRequest();
        tea.method = "GET";
        tea.pathname = "/";
        tea.query = query;
        tea.headers = headers;
        headers.put("Authorization", com.aliyun.openapiutil.Client.getAuthorization(tea, "ACS3-HMAC-SHA256", payload,
                KEY, SECRET));
        headers.remove("host");
        return given().urlEncodingEnabled(false).headers(headers);
    }
}
