package dev.kvsim.rkvstore;

import dev.kvsim.Instances;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kvsim.Instances.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's API as the aliyun CLI and Terraform call it (their requests reproduced byte for byte: they
 * cannot be installed here), Terraform's read sequence and what its provider parses, and every kind of bad
 * request answered as the service answers it: JSON, the service's codes and statuses.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RkvRawHttpTest {

    static final String PASSWORD = "Passw0rd!";

    @jakarta.inject.Inject
    InstanceStore store;

    /** A single-replica instance made by Capacity and NodeType, shared by the tests. */
    String id;
    int port;

    @BeforeAll
    void createInstance() {
        JsonPath created = rpc(Map.of("Action", "CreateInstance", "RegionId", "cn-hangzhou", "Capacity", "256",
                "NodeType", "STAND_ALONE", "Password", PASSWORD, "InstanceName", "raw", "Tag.1.Key", "env",
                "Tag.1.Value", "ci")).then().statusCode(200).extract().jsonPath();
        id = created.getString("InstanceId");
        port = created.getInt("Port");
        awaitNormal(id);
    }

    @AfterAll
    void deleteInstance() {
        Instances.delete(id);
    }

    /** A GET with the parameters in the query and Version added, as a hand-written curl call would send it. */
    static Response rpc(Map<String, String> params) {
        Map<String, String> q = new LinkedHashMap<>(params);
        q.putIfAbsent("Version", "2015-01-01");
        return given().urlEncodingEnabled(false).get("/?" + RawRpc.form(q));
    }

    static void awaitNormal(String instanceId) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"Normal".equals(attribute(instanceId).getString("InstanceStatus"))) {
            assertTrue(System.nanoTime() < deadline, instanceId + " is not Normal after 30 s");
            Instances.sleep(50);
        }
    }

    static JsonPath attribute(String instanceId) {
        return rpc(Map.of("Action", "DescribeInstanceAttribute", "InstanceId", instanceId)).then().statusCode(200)
                .extract().jsonPath().setRootPath("Instances.DBInstanceAttribute[0]");
    }

    @Test
    void capacityAndNodeTypePickTheClassAndTheAdminApiShowsRegionZoneAndTags() {
        assertEquals("redis.basic.micro.default", attribute(id).getString("InstanceClass"));
        assertEquals("single", attribute(id).getString("NodeType"));
        given().get("/api/v1/instances/" + id).then().statusCode(200)
                .body("regionId", equalTo("cn-hangzhou")).body("zoneId", equalTo("cn-hangzhou-h"))
                .body("tags.env", equalTo("ci")).body("releaseProtection", equalTo(false))
                .body("majorVersion", equalTo("7.0"));
    }

    @Test
    void theCliRequestIsAnswered() throws Exception {
        JsonPath page = RawRpc.cli("DescribeInstances", Map.of("RegionId", "cn-hangzhou", "InstanceIds", id),
                "any-key", "any-secret").then().statusCode(200)
                .header("Content-Type", startsWith("application/json")).extract().jsonPath();
        assertEquals(1, page.getInt("TotalCount"));
        assertEquals(30, page.getInt("PageSize"));
        assertEquals(id, page.getString("Instances.KVStoreInstance[0].InstanceId"));
        assertInstanceOf(Integer.class, page.get("Instances.KVStoreInstance[0].Port"));
        assertEquals("ci", page.getString("Instances.KVStoreInstance[0].Tags.Tag[0].Value"));
        assertTrue(page.getString("RequestId").matches("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"));
    }

    /**
     * Terraform's alicloud_kvstore_instance: CreateInstance by RpcPost with its empty-valued parameters, the
     * wait for Normal, then its Read: the parts its provider parses must have their types (IsSupportTDE a JSON
     * boolean, Config a JSON object in a string, at least one net-info row, PreferredBackupPeriod split on
     * commas), then DeleteInstance and the wait for 404.
     */
    @Test
    void terraformsCreateReadAndDeleteSequence() throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("RegionId", "cn-hangzhou");
        form.put("Token", "Create_KvstoreInstance" + System.nanoTime());
        form.put("NetworkType", "CLASSIC");
        form.put("InstanceClass", "redis.basic.micro.default");
        form.put("InstanceName", "tf-test");
        form.put("EngineVersion", "5.0");
        form.put("ChargeType", "PostPaid");
        form.put("Password", "");
        form.put("Capacity", "");
        form.put("ZoneId", "cn-hangzhou-j");
        form.put("VSwitchId", "");
        form.put("ResourceGroupId", "");
        String tf = RawRpc.terraform("CreateInstance", form, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath().getString("InstanceId");
        Map<String, String> byId = Map.of("RegionId", "cn-hangzhou", "InstanceId", tf);
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonPath read;
        do {
            assertTrue(System.nanoTime() < deadline, tf + " is not Normal after 30 s");
            read = RawRpc.terraform("DescribeInstanceAttribute", byId, "tf-key", "tf-secret").then().statusCode(200)
                    .extract().jsonPath().setRootPath("Instances.DBInstanceAttribute[0]");
        } while (!"Normal".equals(read.getString("InstanceStatus")));
        assertEquals(tf, read.getString("InstanceId"));
        assertEquals(Boolean.FALSE, read.get("IsSupportTDE"));
        assertEquals(Boolean.TRUE, read.get("IsOrderCompleted"));
        assertEquals(Boolean.FALSE, read.get("InstanceReleaseProtection"));
        assertEquals("redis.basic.micro.default", read.getString("RealInstanceClass"));
        assertEquals("CLASSIC", read.getString("NetworkType"));
        assertEquals("Close", read.getString("VpcAuthMode"), "no password: password-free");
        String config = read.getString("Config");
        assertEquals("volatile-lru", new com.fasterxml.jackson.databind.ObjectMapper().readTree(config)
                .get("maxmemory-policy").asText());

        JsonPath net = RawRpc.terraform("DescribeDBInstanceNetInfo", byId, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("CLASSIC", net.getString("InstanceNetworkType"));
        assertInstanceOf(String.class, net.get("NetInfoItems.InstanceNetInfo[0].Port"));
        assertEquals("1", net.getString("NetInfoItems.InstanceNetInfo[0].DBInstanceNetType"));
        String host = net.getString("NetInfoItems.InstanceNetInfo[0].ConnectionString");
        try (Jedis jedis = new Jedis(host, Integer.parseInt(net.getString("NetInfoItems.InstanceNetInfo[0].Port")))) {
            assertEquals("PONG", jedis.ping());
        }

        // the old SDK's calls: parameters in the query, empty form body
        Map<String, String> old = Map.of("InstanceId", tf);
        assertEquals(7, RawRpc.cli("DescribeBackupPolicy", old, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath().getString("PreferredBackupPeriod").split(",").length);
        assertEquals(List.of(), RawRpc.cli("DescribeSecurityGroupConfiguration", old, "tf-key", "tf-secret").then()
                .statusCode(200).extract().jsonPath().getList("Items.EcsSecurityGroupRelation"));
        assertEquals("Disable", RawRpc.cli("DescribeInstanceSSL", old, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath().getString("SSLEnabled"));
        assertEquals("127.0.0.1", RawRpc.cli("DescribeSecurityIps", old, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath().getString("SecurityIpGroups.SecurityIpGroup.find { it.SecurityIpGroupName == 'default' }.SecurityIpList"));
        JsonPath engine = RawRpc.terraform("DescribeEngineVersion", byId, "tf-key", "tf-secret").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("0", engine.get("IsAutoUpgradeOpen"));
        assertEquals("5.0", engine.getString("MajorVersion"));

        RawRpc.terraform("DeleteInstance", byId, "tf-key", "tf-secret").then().statusCode(200);
        RawRpc.terraform("DescribeInstanceAttribute", byId, "tf-key", "tf-secret").then().statusCode(404)
                .body("Code", equalTo("InvalidInstanceId.NotFound"));
        RawRpc.terraform("DeleteInstance", byId, "tf-key", "tf-secret").then().statusCode(404)
                .body("Code", equalTo("InvalidInstanceId.NotFound"));
    }

    @Test
    void eachActionAnswersItsOwnNotFoundCode() {
        String none = "r-000000000000000000";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("DescribeInstanceAttribute", "InvalidInstanceId.NotFound");
        expected.put("DeleteInstance", "InvalidInstanceId.NotFound");
        expected.put("DescribeDBInstanceNetInfo", "InvalidInstanceId.NotFound");
        expected.put("DescribeSecurityIps", "InvalidDBInstance.NotFound");
        expected.put("DescribeBackupPolicy", "InvalidDBInstance.NotFound");
        expected.put("DescribeInstanceSSL", "InvalidDBInstance.NotFound");
        expected.put("DescribeSecurityGroupConfiguration", "InvalidDBInstance.NotFound");
        expected.forEach((action, code) -> rpc(Map.of("Action", action, "InstanceId", none)).then().statusCode(404)
                .body("Code", equalTo(code)).body("Message", containsString(none)));
        rpc(Map.of("Action", "DescribeInstanceAutoRenewalAttribute", "RegionId", "cn-hangzhou", "DBInstanceId", none))
                .then().statusCode(404).body("Code", equalTo("InvalidDBInstance.NotFound"));
        for (String action : List.of("TagResources", "UntagResources")) {
            rpc(Map.of("Action", action, "RegionId", "cn-hangzhou", "ResourceType", "INSTANCE", "ResourceId.1", none,
                    "Tag.1.Key", "k", "TagKey.1", "k")).then().statusCode(404).body("Code", equalTo("InvalidDbInstanceId.NotFound"));
        }
    }

    @Test
    void badRequestsGetTheServicesErrorsAsJson() throws Exception {
        assertError(rpc(Map.of("Action", "DescribeFoo")), 404, "InvalidAction.NotFound", "DescribeFoo");
        assertError(rpc(Map.of("Action", "ModifyInstanceSpec", "InstanceId", id)), 400, "UnsupportedOperation",
                "ModifyInstanceSpec");
        assertError(rpc(Map.of("Action", "DescribeRegions", "Version", "2014-05-26")), 400, "InvalidVersion", "2014-05-26");
        assertError(given().get("/?Version=2015-01-01"), 400, "MissingParameter", "Action");
        assertError(rpc(Map.of("Action", "DescribeInstanceAttribute")), 400, "MissingParameter", "\"InstanceId\"");
        assertError(rpc(Map.of("Action", "DescribeInstances", "PageSize", "abc")), 400, "InvalidParameter", "\"PageSize\"");
        assertError(rpc(Map.of("Action", "DescribeInstances", "PageSize", "51")), 400, "InvalidParameter", "\"PageSize\"");
        assertError(rpc(Map.of("Action", "DescribeInstances", "PageNumber", "99999999999")), 400, "InvalidParameter",
                "\"PageNumber\"");
        assertError(rpc(Map.of("Action", "ModifySecurityIps", "InstanceId", id, "SecurityIps", "10.0.0.1",
                "ModifyMode", "Sideways")), 400, "InvalidParameter", "\"ModifyMode\"");
        assertError(rpc(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", id, "InstanceReleaseProtection", "yes")),
                400, "InvalidParameter", "\"InstanceReleaseProtection\"");
        assertError(rpc(Map.of("Action", "ModifyInstanceConfig", "InstanceId", id, "Config", "{not json")), 400,
                "InvalidParameter", "\"Config\"");
        assertError(rpc(Map.of("Action", "ModifyInstanceConfig", "InstanceId", id, "Config", "[1]")), 400,
                "InvalidParameter", "\"Config\"");
        assertError(rpc(Map.of("Action", "CreateInstance", "RegionId", "cn-hangzhou")), 400, "MissingParameter",
                "InstanceClass");
        assertError(rpc(Map.of("Action", "CreateInstance", "RegionId", "cn-hangzhou", "InstanceClass", "redis.huge")),
                400, "InvalidInstanceClass.NotFound", "redis.huge");
        assertError(given().contentType("application/x-www-form-urlencoded").body("Action=DescribeRegions&Version=2015-01-01&x=%zz")
                .post("/"), 400, "InvalidParameter", "form body");
        // a URL that is no URI (a broken %-escape in the query) is refused by the HTTP layer, with an empty body
        String notAUri = RawRpc.rawHttp("GET /?Action=DescribeRegions&x=%zz HTTP/1.1");
        assertTrue(notAUri.startsWith("HTTP/1.1 400") && !notAUri.toLowerCase().contains("<html"), notAUri);
        assertError(given().put("/?Action=DescribeRegions&Version=2015-01-01"), 405, "UnsupportedHTTPMethod", "PUT");
        assertError(given().contentType("application/x-www-form-urlencoded").body("a=" + "x".repeat(RpcEndpoint.MAX_BODY))
                .post("/"), 400, "InvalidParameter", "larger than");
        // the admin API keeps its own shape
        given().get("/api/v1/instances/r-000000000000000000").then().statusCode(404)
                .body("code", equalTo("InvalidInstanceId.NotFound"));
    }

    /**
     * A web page in the user's browser reaches loopback too: a request it makes from another site (a foreign
     * {@code Origin}, or {@code Sec-Fetch-Site: cross-site} for a link, image or form) is refused before it runs, in
     * the service's error shape. The SDKs and tools send neither, and kvsim's own origin is served.
     */
    @Test
    void aWebPageOfAnotherSiteCannotCallTheService() {
        String tag = "Tag.1.Key=pwned&Tag.1.Value=yes&ResourceType=INSTANCE&RegionId=cn-hangzhou&ResourceId.1=" + id;
        assertError(given().header("Origin", "http://evil.example").contentType("application/x-www-form-urlencoded")
                .body("Action=TagResources&Version=2015-01-01&" + tag).post("/"), 403, "Forbidden", "evil.example");
        assertError(given().header("Sec-Fetch-Site", "cross-site").urlEncodingEnabled(false)
                .get("/?Action=TagResources&Version=2015-01-01&" + tag), 403, "Forbidden", "cross-site");
        assertError(given().header("Origin", "null").get("/?Action=DescribeRegions&Version=2015-01-01"), 403,
                "Forbidden", "'null'");
        assertFalse(given().get("/api/v1/instances/" + id).jsonPath().getMap("tags").containsKey("pwned"),
                "a refused request changed nothing");
        given().header("Origin", "http://127.0.0.1:" + RawRpc.port()).header("Sec-Fetch-Site", "same-origin")
                .get("/?Action=DescribeRegions&Version=2015-01-01").then().statusCode(200);
    }

    /** An error: the status, JSON with the service's five fields, the code, a message naming what was wrong. */
    static void assertError(Response r, int status, String code, String named) {
        r.then().statusCode(status).header("Content-Type", startsWith("application/json"));
        JsonPath body = r.jsonPath();
        assertEquals(code, body.getString("Code"), r.asString());
        assertTrue(body.getString("Message").contains(named), body.getString("Message"));
        assertTrue(body.getString("RequestId").matches("[0-9A-F-]{36}"));
        assertFalse(body.getString("HostId").isEmpty());
        assertFalse(body.getString("Recommend").isEmpty());
        assertFalse(body.getString("Message").contains("java."), body.getString("Message"));
    }

    /**
     * kvsim's statuses the service names differently, and a change refused for the status: 403 here, 409 in the
     * admin API. The status is set in the store, as a restart or HA would, so that it lasts while the calls run.
     */
    @Test
    void statusesAsTheServiceNamesThemAndAChangeRefusedWhenNotNormal() {
        try {
            for (InstanceStatus s : List.of(InstanceStatus.Rebooting, InstanceStatus.HASwitching)) {
                store.setStatus(id, s);
                assertEquals("Changing", attribute(id).getString("InstanceStatus"), s + " shows as Changing");
                given().get("/api/v1/instances/" + id).then().body("status", equalTo(s.name()));
            }
            assertError(rpc(Map.of("Action", "FlushInstance", "InstanceId", id)), 403, "IncorrectDBInstanceState",
                    "Current DB instance state does not support this operation.");
            given().post("/api/v1/instances/" + id + "/flush").then().statusCode(409)
                    .body("code", equalTo("IncorrectDBInstanceState")).body("message", containsString("HASwitching"));
            store.setStatus(id, InstanceStatus.Error);
            assertEquals("Unavailable", attribute(id).getString("InstanceStatus"));
            // Other classes of the run may leave an instance unavailable too: the filter is checked on every answer.
            rpc(Map.of("Action", "DescribeInstances", "InstanceStatus", "Unavailable")).then().statusCode(200)
                    .body("Instances.KVStoreInstance.InstanceId", org.hamcrest.Matchers.hasItem(id))
                    .body("Instances.KVStoreInstance.InstanceStatus", org.hamcrest.Matchers.everyItem(equalTo("Unavailable")));
        } finally {
            store.setStatus(id, InstanceStatus.Normal);
        }
    }

    @Test
    void regionsZonesAndAvailableResources() {
        JsonPath regions = rpc(Map.of("Action", "DescribeRegions")).then().statusCode(200).extract().jsonPath();
        assertEquals("cn-hangzhou", regions.getString("RegionIds.KVStoreRegion[0].RegionId"));
        assertEquals("127.0.0.1:" + RawRpc.port(), regions.getString("RegionIds.KVStoreRegion[0].RegionEndpoint"));
        assertEquals(List.of("cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"),
                regions.getList("RegionIds.KVStoreRegion[0].ZoneIdList.ZoneId"));
        rpc(Map.of("Action", "DescribeZones", "RegionId", "cn-hangzhou")).then().statusCode(200)
                .body("Zones.KVStoreZone[0].ZoneId", equalTo("cn-hangzhou-h"))
                .body("Zones.KVStoreZone[0].Disabled", equalTo(false));
        JsonPath available = rpc(Map.of("Action", "DescribeAvailableResource", "RegionId", "cn-hangzhou",
                "ZoneId", "cn-hangzhou-i")).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("cn-hangzhou-i"), available.getList("AvailableZones.AvailableZone.ZoneId"));
        List<String> classes = available.getList("AvailableZones.AvailableZone[0].SupportedEngines.SupportedEngine[0]"
                + ".SupportedEditionTypes.SupportedEditionType[0].SupportedSeriesTypes.SupportedSeriesType[0]"
                + ".SupportedEngineVersions.SupportedEngineVersion.find { it.Version == '5.0' }"
                + ".SupportedArchitectureTypes.SupportedArchitectureType.find { it.Architecture == 'standard' }"
                + ".SupportedShardNumbers.SupportedShardNumber[0].SupportedNodeTypes.SupportedNodeType"
                + ".find { it.SupportedNodeType == 'double' }.AvailableResources.AvailableResource.InstanceClass");
        assertTrue(classes.contains("redis.master.small.default"), classes.toString());
        assertError(rpc(Map.of("Action", "DescribeZones", "RegionId", "mars-north-1")), 404, "InvalidRegionId.NotFound",
                "mars-north-1");
    }

    @Test
    void createChecksPlacementAndADryRunCreatesNothing() {
        Map<String, String> base = Map.of("Action", "CreateInstance", "RegionId", "cn-hangzhou",
                "InstanceClass", "redis.basic.micro.default");
        int before = rpc(Map.of("Action", "DescribeInstances")).jsonPath().getInt("TotalCount");
        assertError(rpc(with(base, "RegionId", "mars-north-1")), 404, "InvalidRegionId.NotFound", "mars-north-1");
        assertError(rpc(with(base, "ZoneId", "cn-shanghai-b")), 404, "InvalidZoneId.NotFound", "cn-shanghai-b");
        assertError(rpc(with(base, "EngineVersion", "3.2")), 400, "InvalidParameter", "3.2");
        assertError(rpc(with(base, "Password", "short")), 400, "InvalidPassword.Malformed", "8 to 32");
        assertError(rpc(with(base, "ChargeType", "PrePaid")), 400, "InvalidParameter", "\"ChargeType\"");
        assertError(rpc(with(base, "DryRun", "true")), 400, "DryRunOperation", "DryRun");
        assertError(rpc(with(with(base, "DryRun", "true"), "ZoneId", "cn-hangzhou-x")), 404, "InvalidZoneId.NotFound",
                "cn-hangzhou-x");
        assertEquals(before, rpc(Map.of("Action", "DescribeInstances")).jsonPath().getInt("TotalCount"));
    }

    @Test
    void listsPageAndFilter() {
        given().urlEncodingEnabled(false).get("/?Action=DescribeInstances&Version=2015-01-01&PageSize=1&PageNumber=1"
                + "&Tag.1.Key=env&Tag.1.Value=ci&RegionId=cn-hangzhou").then().statusCode(200)
                .body("TotalCount", equalTo(1)).body("Instances.KVStoreInstance[0].InstanceId", equalTo(id));
        rpc(Map.of("Action", "DescribeInstances", "InstanceStatus", "Creating", "InstanceIds", id)).then()
                .statusCode(200).body("TotalCount", equalTo(0));
        rpc(Map.of("Action", "DescribeInstances", "SearchKey", "raw", "ArchitectureType", "standard")).then()
                .statusCode(200).body("Instances.KVStoreInstance.InstanceId", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void newPasswordAndFlushOfOneDatabase() {
        rpc(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", id, "NewPassword", "N3w!password")).then()
                .statusCode(200);
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.auth("N3w!password");
            jedis.select(3);
            jedis.set("a", "1");
            jedis.select(0);
            jedis.set("b", "1");
            rpc(Map.of("Action", "FlushInstanceForDB", "InstanceId", id, "DbIndex", "3")).then().statusCode(200);
            assertEquals("1", jedis.get("b"));
            jedis.select(3);
            assertEquals(0, jedis.dbSize());
        } finally {
            rpc(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", id, "NewPassword", PASSWORD)).then()
                    .statusCode(200);
        }
    }

    /** What one face changes the other shows: both are the same services. */
    @Test
    void oneModelTwoFaces() {
        Map<String, Object> body = Map.of("instanceClass", "redis.basic.micro.default", "regionId", "cn-hangzhou",
                "zoneId", "cn-hangzhou-k", "majorVersion", "6.0", "tags", Map.of("owner", "api-v1"),
                "clientToken", "two-faces-" + System.nanoTime());
        String other = Instances.create(body).getString("instanceId");
        try {
            assertEquals(other, Instances.create(body).getString("instanceId"), "the same clientToken, the same instance");
            JsonPath a = attribute(other);
            assertEquals("cn-hangzhou-k", a.getString("ZoneId"));
            assertEquals("6.0", a.getString("EngineVersion"));
            assertEquals("api-v1", a.getString("Tags.Tag.find { it.Key == 'owner' }.Value"));

            given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("accountName", "ops",
                            "accountPassword", "0ps!Passw0rd", "accountDescription", "operations"))
                    .post("/api/v1/instances/" + other + "/accounts").then().statusCode(201);
            rpc(Map.of("Action", "DescribeAccounts", "InstanceId", other, "AccountName", "ops")).then().statusCode(200)
                    .body("Accounts.Account[0].AccountDescription", equalTo("operations"));

            rpc(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", other, "InstanceReleaseProtection", "true"))
                    .then().statusCode(200);
            given().get("/api/v1/instances/" + other).then().body("releaseProtection", equalTo(true));
            given().delete("/api/v1/instances/" + other).then().statusCode(403)
                    .body("code", equalTo("OperationDenied.ReleaseProtection"));
            rpc(Map.of("Action", "ModifyInstanceAttribute", "InstanceId", other, "InstanceReleaseProtection", "false"))
                    .then().statusCode(200);
        } finally {
            Instances.delete(other);
        }
    }

    @jakarta.inject.Inject
    RpcDispatcher dispatcher;

    /** A typo in a registered name would leave the real action answering UnsupportedOperation. */
    @Test
    void everyServedActionIsOneOfTheProducts() {
        assertTrue(dispatcher.actions().containsAll(List.of("CreateInstance", "DescribeInstances", "DescribeAccounts",
                "ModifySecurityIps", "SwitchInstanceHA", "TagResources", "DescribeBackupPolicy")), dispatcher.actions().toString());
        dispatcher.actions().forEach(a -> assertTrue(ProductActions.ALL.contains(a), a));
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }
}
