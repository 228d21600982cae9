package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.CreateAccountRequest;
import com.aliyun.r_kvstore20150101.models.CreateInstanceRequest;
import com.aliyun.r_kvstore20150101.models.CreateInstanceResponseBody;
import com.aliyun.r_kvstore20150101.models.DeleteAccountRequest;
import com.aliyun.r_kvstore20150101.models.DeleteInstanceRequest;
import com.aliyun.r_kvstore20150101.models.DescribeAccountsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeAccountsResponseBody.DescribeAccountsResponseBodyAccountsAccount;
import com.aliyun.r_kvstore20150101.models.DescribeInstanceAttributeResponseBody.DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute;
import com.aliyun.r_kvstore20150101.models.DescribeInstanceConfigRequest;
import com.aliyun.r_kvstore20150101.models.DescribeInstancesRequest;
import com.aliyun.r_kvstore20150101.models.DescribeParametersRequest;
import com.aliyun.r_kvstore20150101.models.DescribeRegionsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeSecurityIpsRequest;
import com.aliyun.r_kvstore20150101.models.FlushInstanceRequest;
import com.aliyun.r_kvstore20150101.models.GrantAccountPrivilegeRequest;
import com.aliyun.r_kvstore20150101.models.ListTagResourcesRequest;
import com.aliyun.r_kvstore20150101.models.ListTagResourcesResponseBody.ListTagResourcesResponseBodyTagResourcesTagResource;
import com.aliyun.r_kvstore20150101.models.ModifyAccountDescriptionRequest;
import com.aliyun.r_kvstore20150101.models.ModifyAccountPasswordRequest;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceAttributeRequest;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceConfigRequest;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceMaintainTimeRequest;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceVpcAuthModeRequest;
import com.aliyun.r_kvstore20150101.models.ModifySecurityIpsRequest;
import com.aliyun.r_kvstore20150101.models.ResetAccountPasswordRequest;
import com.aliyun.r_kvstore20150101.models.RestartInstanceRequest;
import com.aliyun.r_kvstore20150101.models.SwitchInstanceHARequest;
import com.aliyun.r_kvstore20150101.models.TagResourcesRequest;
import com.aliyun.r_kvstore20150101.models.UntagResourcesRequest;
import com.aliyun.tea.TeaException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.Instances;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official SDK drives an instance's whole life through the service's API, in both its signature modes:
 * ACS3-HMAC-SHA256 (the default) and HMAC-SHA1 ({@code Config.setSignatureAlgorithm("v2")}), with a Redis client
 * on the ConnectionDomain and Port the API gave.
 */
@QuarkusTest
class RkvSdkLifeTest {

    static final String PASSWORD = "Passw0rd!";
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "signature {0}")
    @ValueSource(strings = {"ACS3-HMAC-SHA256", "v2"})
    void anInstancesLifeThroughTheSdk(String signature) throws Exception {
        Client c = RkvClients.sdk("test", "test", signature.equals("v2") ? "v2" : null);
        assertEquals(RkvClients.REGION, c.describeRegions(new DescribeRegionsRequest()).getBody().getRegionIds()
                .getKVStoreRegion().get(0).getRegionId());

        String token = UUID.randomUUID().toString();
        CreateInstanceRequest create = new CreateInstanceRequest().setRegionId(RkvClients.REGION)
                .setInstanceClass("redis.master.micro.default").setEngineVersion("5.0").setPassword(PASSWORD)
                .setInstanceName("life-" + signature).setToken(token).setZoneId("cn-hangzhou-i")
                .setTag(List.of(new CreateInstanceRequest.CreateInstanceRequestTag().setKey("env").setValue("dev")));
        CreateInstanceResponseBody created = c.createInstance(create).getBody();
        String id = created.getInstanceId();
        assertTrue(id.matches("r-[a-z0-9]{18}"), id);
        assertEquals("Creating", created.getInstanceStatus());
        assertEquals("127.0.0.1", created.getConnectionDomain());
        assertTrue(created.getOrderId() > 0);
        assertEquals(256L, created.getCapacity());
        assertEquals(id, c.createInstance(create).getBody().getInstanceId(), "the same Token answers the same instance");

        DescribeInstanceAttributeResponseBodyInstancesDBInstanceAttribute a = RkvClients.awaitNormal(c, id);
        assertEquals(id, a.getInstanceId());
        assertEquals("life-" + signature, a.getInstanceName());
        assertEquals("redis.master.micro.default", a.getRealInstanceClass());
        assertTrue(a.getIsOrderCompleted());
        assertFalse(a.getIsSupportTDE());
        assertEquals("5.0", a.getEngineVersion());
        assertEquals("cn-hangzhou-i", a.getZoneId());
        assertEquals("Open", a.getVpcAuthMode());
        assertEquals(Map.of("env", "dev"), Map.of(a.getTags().getTag().get(0).getKey(), a.getTags().getTag().get(0).getValue()));
        assertEquals("volatile-lru", JSON.readTree(a.getConfig()).get("maxmemory-policy").asText());
        String host = a.getConnectionDomain();
        int port = a.getPort().intValue();

        try (Jedis jedis = new Jedis(host, port)) {
            jedis.auth(PASSWORD);
            jedis.set("k", "v");

            // accounts: a read-only one is refused writes by the engine, and granted read-write it may write
            assertEquals("reader", c.createAccount(new CreateAccountRequest().setInstanceId(id).setAccountName("reader")
                    .setAccountPassword("Reader0nly!").setAccountPrivilege("RoleReadOnly")
                    .setAccountDescription("reports")).getBody().getAcountName());
            List<DescribeAccountsResponseBodyAccountsAccount> accounts = c.describeAccounts(
                    new DescribeAccountsRequest().setInstanceId(id)).getBody().getAccounts().getAccount();
            assertEquals(List.of(id, "reader"), accounts.stream().map(DescribeAccountsResponseBodyAccountsAccount::getAccountName).toList());
            assertEquals("reports", accounts.get(1).getAccountDescription());
            assertEquals("RoleReadOnly", accounts.get(1).getDatabasePrivileges().getDatabasePrivilege().get(0).getAccountPrivilege());
            try (Jedis reader = new Jedis(host, port)) {
                // a 5.0 instance: an account logs in as <account>:<password> (AUTH <user> <password> came with 6.0)
                reader.auth("reader:Reader0nly!");
                assertEquals("v", reader.get("k"));
                assertTrue(assertThrows(JedisDataException.class, () -> reader.set("k", "x")).getMessage().startsWith("NOPERM"));
                c.grantAccountPrivilege(new GrantAccountPrivilegeRequest().setInstanceId(id).setAccountName("reader")
                        .setAccountPrivilege("RoleReadWrite"));
                assertEquals("OK", reader.set("k2", "x"));
            }
            c.resetAccountPassword(new ResetAccountPasswordRequest().setInstanceId(id).setAccountName("reader")
                    .setAccountPassword("Reset!pass1"));
            c.modifyAccountPassword(new ModifyAccountPasswordRequest().setInstanceId(id).setAccountName("reader")
                    .setOldAccountPassword("Reset!pass1").setNewAccountPassword("Changed!pass2"));
            try (Jedis reader = new Jedis(host, port)) {
                reader.auth("reader:Changed!pass2");
                assertEquals("PONG", reader.ping());
            }
            c.modifyAccountDescription(new ModifyAccountDescriptionRequest().setInstanceId(id).setAccountName("reader")
                    .setAccountDescription("nightly reports"));
            assertEquals("nightly reports", c.describeAccounts(new DescribeAccountsRequest().setInstanceId(id)
                    .setAccountName("reader")).getBody().getAccounts().getAccount().get(0).getAccountDescription());
            c.deleteAccount(new DeleteAccountRequest().setInstanceId(id).setAccountName("reader"));
            assertEquals(1, c.describeAccounts(new DescribeAccountsRequest().setInstanceId(id)).getBody().getAccounts()
                    .getAccount().size());

            // whitelist: a group without 127.0.0.1 shuts this client out, for new connections
            c.modifySecurityIps(new ModifySecurityIpsRequest().setInstanceId(id).setSecurityIps("10.0.0.0/8")
                    .setModifyMode("Append"));
            assertEquals("127.0.0.1,10.0.0.0/8", c.describeSecurityIps(new DescribeSecurityIpsRequest().setInstanceId(id))
                    .getBody().getSecurityIpGroups().getSecurityIpGroup().get(0).getSecurityIpList());
            c.modifySecurityIps(new ModifySecurityIpsRequest().setInstanceId(id).setSecurityIps("127.0.0.2"));
            try (Jedis refused = new Jedis(host, port)) {
                assertEquals("ERR illegal address", assertThrows(JedisDataException.class, refused::ping).getMessage());
            }
            c.modifySecurityIps(new ModifySecurityIpsRequest().setInstanceId(id).setSecurityIps("127.0.0.1"));

            // parameters reach the engine
            c.modifyInstanceConfig(new ModifyInstanceConfigRequest().setInstanceId(id)
                    .setConfig("{\"maxmemory-policy\":\"allkeys-lru\"}"));
            assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
            assertEquals("allkeys-lru", JSON.readTree(c.describeInstanceConfig(new DescribeInstanceConfigRequest()
                    .setInstanceId(id)).getBody().getConfig()).get("maxmemory-policy").asText());
            assertTrue(c.describeParameters(new DescribeParametersRequest().setDBInstanceId(id)).getBody()
                    .getConfigParameters().getParameter().stream().anyMatch(p -> p.getParameterName().equals("maxmemory-policy")
                            && p.getParameterValue().equals("allkeys-lru") && p.getModifiableStatus()));
        }

        // switchover: the replica becomes the master (AvailablePriority loses what the replica lacks: wait for it)
        Instances.awaitReplicated(id);
        String master = Instances.master(id, 0);
        c.switchInstanceHA(new SwitchInstanceHARequest().setInstanceId(id)
                .setSwitchType(signature.equals("v2") ? "AvailablePriority" : "ReliabilityPriority"));
        RkvClients.awaitNormal(c, id);
        assertNotEquals(master, Instances.master(id, 0));

        // restart keeps a dual-replica instance's data; flush removes it
        c.restartInstance(new RestartInstanceRequest().setInstanceId(id));
        RkvClients.awaitNormal(c, id);
        try (Jedis jedis = new Jedis(host, port)) {
            jedis.auth(PASSWORD);
            assertEquals("v", jedis.get("k"));
            c.flushInstance(new FlushInstanceRequest().setInstanceId(id));
            assertNull(jedis.get("k"));
        }

        // password-free access on and off
        c.modifyInstanceVpcAuthMode(new ModifyInstanceVpcAuthModeRequest().setInstanceId(id).setVpcAuthMode("Close"));
        try (Jedis free = new Jedis(host, port)) {
            assertEquals("PONG", free.ping());
        }
        c.modifyInstanceVpcAuthMode(new ModifyInstanceVpcAuthModeRequest().setInstanceId(id).setVpcAuthMode("Open"));
        try (Jedis locked = new Jedis(host, port)) {
            assertTrue(assertThrows(JedisDataException.class, locked::ping).getMessage().startsWith("NOAUTH"));
        }

        // tags
        c.tagResources(new TagResourcesRequest().setRegionId(RkvClients.REGION).setResourceType("INSTANCE")
                .setResourceId(List.of(id)).setTag(List.of(new TagResourcesRequest.TagResourcesRequestTag()
                        .setKey("team").setValue("core"))));
        List<ListTagResourcesResponseBodyTagResourcesTagResource> tags = c.listTagResources(new ListTagResourcesRequest()
                .setRegionId(RkvClients.REGION).setResourceType("INSTANCE").setResourceId(List.of(id))).getBody()
                .getTagResources().getTagResource();
        assertEquals(List.of("env=dev", "team=core"), tags.stream().map(t -> t.getTagKey() + "=" + t.getTagValue()).toList());
        assertEquals(List.of(id), c.describeInstances(new DescribeInstancesRequest().setRegionId(RkvClients.REGION)
                        .setTag(List.of(new DescribeInstancesRequest.DescribeInstancesRequestTag().setKey("team").setValue("core"))))
                .getBody().getInstances().getKVStoreInstance().stream().map(i -> i.getInstanceId()).toList());
        c.untagResources(new UntagResourcesRequest().setRegionId(RkvClients.REGION).setResourceType("INSTANCE")
                .setResourceId(List.of(id)).setTagKey(List.of("env")));
        assertEquals(1, c.listTagResources(new ListTagResourcesRequest().setRegionId(RkvClients.REGION)
                .setResourceType("INSTANCE").setResourceId(List.of(id))).getBody().getTagResources().getTagResource().size());

        // maintenance window, name, release protection
        c.modifyInstanceMaintainTime(new ModifyInstanceMaintainTimeRequest().setInstanceId(id)
                .setMaintainStartTime("22:00Z").setMaintainEndTime("01:00Z"));
        c.modifyInstanceAttribute(new ModifyInstanceAttributeRequest().setInstanceId(id).setInstanceName("renamed")
                .setInstanceReleaseProtection(true));
        a = RkvClients.attribute(c, id);
        assertEquals("22:00Z", a.getMaintainStartTime());
        assertEquals("renamed", a.getInstanceName());
        assertTrue(a.getInstanceReleaseProtection());
        TeaException protectedDelete = assertThrows(TeaException.class,
                () -> c.deleteInstance(new DeleteInstanceRequest().setInstanceId(id)));
        assertEquals(403, protectedDelete.getStatusCode());
        c.modifyInstanceAttribute(new ModifyInstanceAttributeRequest().setInstanceId(id).setInstanceReleaseProtection(false));

        c.deleteInstance(new DeleteInstanceRequest().setInstanceId(id));
        TeaException gone = assertThrows(TeaException.class, () -> RkvClients.attribute(c, id));
        assertEquals("InvalidInstanceId.NotFound", gone.getCode());
        assertEquals(404, gone.getStatusCode());
    }
}
