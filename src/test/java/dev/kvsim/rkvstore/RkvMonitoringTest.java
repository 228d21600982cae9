package dev.kvsim.rkvstore;

import com.aliyun.r_kvstore20150101.Client;
import com.aliyun.r_kvstore20150101.models.DescribeHistoryMonitorValuesRequest;
import com.aliyun.r_kvstore20150101.models.DescribeMonitorItemsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeMonitorItemsResponseBody.DescribeMonitorItemsResponseBodyMonitorItemsKVStoreMonitorItem;
import com.aliyun.r_kvstore20150101.models.DescribeRunningLogRecordsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeRunningLogRecordsResponseBody;
import com.aliyun.r_kvstore20150101.models.DescribeSlowLogRecordsRequest;
import com.aliyun.r_kvstore20150101.models.DescribeSlowLogRecordsResponseBody;
import com.aliyun.r_kvstore20150101.models.ModifyInstanceConfigRequest;
import com.aliyun.tea.TeaException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Monitoring and logs through the official SDK (2.23.2): DescribeMonitorItems, DescribeHistoryMonitorValues with its
 * MonitorHistory JSON string, DescribeSlowLogRecords and DescribeRunningLogRecords with their pages, and the service's
 * error codes for bad times and keys.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RkvMonitoringTest {

    private static final TypeReference<Map<String, Map<String, String>>> HISTORY = new TypeReference<>() {
    };

    @Inject
    KvsimClock clock;

    private final Client sdk = RkvClients.sdk("test", "test", null);
    private String id;
    private int port;

    @BeforeAll
    void createInstance() throws Exception {
        JsonPath i = Instances.createDual();
        id = i.getString("instanceId");
        port = i.getInt("port");
        sdk.modifyInstanceConfig(new ModifyInstanceConfigRequest().setInstanceId(id)
                .setConfig("{\"slowlog-log-slower-than\":\"0\"}"));
        try (Jedis j = new Jedis("127.0.0.1", port, 5000)) {
            for (int k = 0; k < 40; k++) {
                j.set("sdk:slow:" + k, "v");
            }
        }
    }

    @AfterAll
    void cleanUp() {
        Instances.delete(id);
    }

    private static String at(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES).toString().replace(":00Z", "Z");
    }

    @Test
    void monitorItemsNameEveryKeyWithItsUnit() throws Exception {
        List<DescribeMonitorItemsResponseBodyMonitorItemsKVStoreMonitorItem> items = sdk.describeMonitorItems(
                new DescribeMonitorItemsRequest()).getBody().getMonitorItems().getKVStoreMonitorItem();
        Map<String, String> units = new java.util.HashMap<>();
        items.forEach(i -> units.put(i.getMonitorKey(), i.getUnit()));
        assertEquals("%", units.get("CpuUsage"));
        assertEquals("Bytes", units.get("UsedMemory"));
        assertEquals("%", units.get("memoryUsage"));
        assertEquals("KBps", units.get("intranetIn"));
        assertEquals("Counts/s", units.get("UsedQPS"));
        assertEquals("us", units.get("avgRt"));
    }

    @Test
    void historyIsAJsonStringByTimeOfEachKeysValueAsAString() throws Exception {
        Map<String, Map<String, String>> history = Map.of();
        String start = null;
        String end = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Instant now = clock.now();
            start = at(now.minusSeconds(120));
            end = at(now.plusSeconds(1));  // the range ends before EndTime's second: this one is in it
            String json = sdk.describeHistoryMonitorValues(new DescribeHistoryMonitorValuesRequest().setInstanceId(id)
                    .setStartTime(start).setEndTime(end).setIntervalForHistory("01m"))
                    .getBody().getMonitorHistory();
            history = new ObjectMapper().readValue(json, HISTORY);
            if (!history.isEmpty()) {
                break;
            }
            Instances.sleep(300);
        }
        assertTrue(!history.isEmpty(), "seconds of the last two minutes");
        // no MonitorKeys: UsedMemory and quotaMemory, as the service answers; 5 s apart for a range of minutes
        Map.Entry<String, Map<String, String>> first = history.entrySet().iterator().next();
        assertEquals(0, Instant.parse(first.getKey()).getEpochSecond() % 5, first.getKey());
        assertEquals(java.util.Set.of("UsedMemory", "quotaMemory"), first.getValue().keySet());
        assertEquals(String.valueOf(64L * 1024 * 1024), first.getValue().get("quotaMemory"), "the master's maxmemory, 64 MB");
        assertTrue(Double.parseDouble(first.getValue().get("UsedMemory")) > 0, "5 s averaged: \"1352925.33\" too");

        // a node's series, by its NodeId; with the service's #suffix too. The same range: the master's seconds are
        // recorded with the instance's, and the instance's first one may be the current second, which a range
        // ending at the current second leaves out.
        String master = Instances.master(id, 0);
        String nodeJson = sdk.describeHistoryMonitorValues(new DescribeHistoryMonitorValuesRequest().setInstanceId(id)
                .setStartTime(start).setEndTime(end).setIntervalForHistory("01m")
                .setMonitorKeys("CpuUsage,memoryUsage").setNodeId(master + "#1679")).getBody().getMonitorHistory();
        Map<String, Map<String, String>> node = new ObjectMapper().readValue(nodeJson, HISTORY);
        assertTrue(node.values().stream().anyMatch(v -> v.containsKey("memoryUsage") && v.get("memoryUsage").matches("\\d+(\\.\\d\\d)?")),
                nodeJson);
    }

    @Test
    void badTimesAndKeysAreTheServicesErrors() {
        Instant now = clock.now();
        TeaException e = assertThrows(TeaException.class, () -> sdk.describeHistoryMonitorValues(
                new DescribeHistoryMonitorValuesRequest().setInstanceId(id).setStartTime(at(now))
                        .setEndTime(at(now.minusSeconds(60))).setIntervalForHistory("01m")));
        assertEquals("InvalidParameter", e.getCode());
        assertTrue(e.getMessage().contains("\"EndTime\""), e.getMessage());
        e = assertThrows(TeaException.class, () -> sdk.describeHistoryMonitorValues(
                new DescribeHistoryMonitorValuesRequest().setInstanceId(id).setStartTime("yesterday")
                        .setEndTime(at(now)).setIntervalForHistory("01m")));
        assertTrue(e.getMessage().contains("\"StartTime\""), e.getMessage());
        e = assertThrows(TeaException.class, () -> sdk.describeHistoryMonitorValues(
                new DescribeHistoryMonitorValuesRequest().setInstanceId(id).setStartTime(at(now.minusSeconds(86_400 * 8)))
                        .setEndTime(at(now)).setIntervalForHistory("01m")));
        assertTrue(e.getMessage().contains("at most 7 days"), e.getMessage());
        e = assertThrows(TeaException.class, () -> sdk.describeHistoryMonitorValues(
                new DescribeHistoryMonitorValuesRequest().setInstanceId(id).setStartTime(at(now.minusSeconds(60)))
                        .setEndTime(at(now)).setIntervalForHistory("01m").setMonitorKeys("CpuUsage,NoSuchKey")));
        assertEquals("InvalidParameter", e.getCode());
        assertTrue(e.getMessage().contains("\"MonitorKeys\"") && e.getMessage().contains("'NoSuchKey'"), e.getMessage());
        e = assertThrows(TeaException.class, () -> sdk.describeHistoryMonitorValues(
                new DescribeHistoryMonitorValuesRequest().setInstanceId("r-000000000000000000").setStartTime(at(now.minusSeconds(60)))
                        .setEndTime(at(now)).setIntervalForHistory("01m")));
        assertEquals("InvalidInstanceId.NotFound", e.getCode());
        e = assertThrows(TeaException.class, () -> sdk.describeSlowLogRecords(new DescribeSlowLogRecordsRequest()
                .setInstanceId(id).setStartTime(minute(now.minusSeconds(600))).setEndTime(minute(now)).setPageSize(20)));
        assertTrue(e.getMessage().contains("\"PageSize\""), e.getMessage());
    }

    @Test
    void slowLogRecordsArePagedNewestFirst() throws Exception {
        Instant now = clock.now();
        DescribeSlowLogRecordsRequest request = new DescribeSlowLogRecordsRequest().setInstanceId(id)
                .setStartTime(minute(now.minusSeconds(600))).setEndTime(minute(now.plusSeconds(120)))
                .setQueryKeyword("sdk:slow:").setNodeId(Instances.master(id, 0)).setPageSize(30);
        DescribeSlowLogRecordsResponseBody page = sdk.describeSlowLogRecords(request).getBody();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (page.getTotalRecordCount() < 40 && System.nanoTime() < deadline) {
            Instances.sleep(200);
            page = sdk.describeSlowLogRecords(request).getBody();
        }
        assertEquals(40, page.getTotalRecordCount(), "every SET on the master");
        assertEquals(30, page.getPageRecordCount());
        assertEquals("Redis", page.getEngine());
        var first = page.getItems().getLogRecords().get(0);
        assertTrue(first.getCommand().startsWith("SET sdk:slow:"), first.getCommand());
        assertEquals("127.0.0.1", first.getIPAddress());
        assertEquals(Instances.master(id, 0), first.getNodeId());
        assertTrue(first.getElapsedTime() >= 0);
        List<String> times = page.getItems().getLogRecords().stream().map(r -> r.getExecuteTime()).toList();
        assertEquals(times.stream().sorted(java.util.Comparator.reverseOrder()).toList(), times, "DESC by execution time");
        var second = sdk.describeSlowLogRecords(request.setPageNumber(2)).getBody();
        assertEquals(10, second.getPageRecordCount());
        assertEquals(0, sdk.describeSlowLogRecords(request.setPageNumber(1).setSlowLogRecordType("proxy")).getBody()
                .getTotalRecordCount(), "kvsim's proxy keeps no slow log");
    }

    @Test
    void runningLogRecordsHoldKvsimsEventsAndTheNodesLines() throws Exception {
        Instant now = clock.now();
        DescribeRunningLogRecordsRequest request = new DescribeRunningLogRecordsRequest().setInstanceId(id)
                .setStartTime(minute(now.minusSeconds(3600))).setEndTime(minute(now.plusSeconds(120))).setPageSize(100);
        DescribeRunningLogRecordsResponseBody all = sdk.describeRunningLogRecords(request).getBody();
        List<String> contents = all.getItems().getLogRecords().stream().map(r -> r.getContent()).toList();
        assertTrue(contents.stream().anyMatch(c -> c.startsWith("InstanceCreated ")), contents.toString());
        assertTrue(contents.stream().anyMatch(c -> c.contains("Ready to accept connections")), contents.toString());
        var events = sdk.describeRunningLogRecords(request.setCharacterType("proxy")).getBody().getItems().getLogRecords();
        assertTrue(events.stream().allMatch(r -> r.getNodeId() == null), "kvsim's events belong to no node");
        var nodeLines = sdk.describeRunningLogRecords(request.setCharacterType("db").setRoleType("slave")).getBody();
        assertTrue(nodeLines.getTotalRecordCount() > 0);
        String replica = Instances.get(id).getString("nodes.find { it.role == 'replica' }.nodeId");
        assertTrue(nodeLines.getItems().getLogRecords().stream().allMatch(r -> replica.equals(r.getNodeId())));
        assertTrue(nodeLines.getItems().getLogRecords().stream().allMatch(r -> r.getCreateTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")));
    }
}
