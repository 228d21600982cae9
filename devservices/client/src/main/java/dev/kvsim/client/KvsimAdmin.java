package dev.kvsim.client;

import com.fasterxml.jackson.core.type.TypeReference;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * kvsim's admin API (docs/admin-api.md) for Java: instances, classes, security IPs, accounts, parameters,
 * switchover, faults, events and SLA. Every error answer is thrown as a {@link KvsimApiException} carrying the
 * API's {@code code}. Thread-safe.
 */
public final class KvsimAdmin {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final AdminHttp http;

    private KvsimAdmin(AdminHttp http) {
        this.http = http;
    }

    /** The environment variable that holds a kvsim's API token, for kvsim and its clients alike. */
    public static final String TOKEN_VARIABLE = "KVSIM_API_TOKEN";

    /**
     * A client for the admin API at this address, e.g. {@code http://127.0.0.1:8379}. It sends the API token of
     * the environment variable {@code KVSIM_API_TOKEN} when set (the variable that also sets kvsim's
     * {@code kvsim.api.token}).
     */
    public static KvsimAdmin connect(URI adminUri) {
        return connect(adminUri, System.getenv(TOKEN_VARIABLE));
    }

    /** A client for a kvsim whose admin API asks for this token ({@code kvsim.api.token}; null: none). */
    public static KvsimAdmin connect(URI adminUri, String apiToken) {
        return new KvsimAdmin(new AdminHttp(adminUri, DEFAULT_TIMEOUT, apiToken));
    }

    public URI uri() {
        return http.base();
    }

    // catalog

    public List<InstanceClass> classes() {
        return http.get("/api/v1/classes", new TypeReference<>() { });
    }

    public InstanceClass instanceClass(String name) {
        return http.get("/api/v1/classes/" + enc(name), new TypeReference<>() { });
    }

    // instances

    /** Creates an instance and answers once it is {@code Normal} (its nodes up and replicating). */
    public Instance createInstance(CreateInstance spec) {
        return http.send("POST", "/api/v1/instances?wait=true", spec, new TypeReference<>() { });
    }

    public List<Instance> instances() {
        return http.get("/api/v1/instances", new TypeReference<>() { });
    }

    public Instance instance(String instanceId) {
        return http.get(instancePath(instanceId), new TypeReference<>() { });
    }

    /** Deletes an instance: its nodes stop, its port closes, its data is removed. */
    public void deleteInstance(String instanceId) {
        http.send("DELETE", instancePath(instanceId), null);
    }

    /** Empties every database of the instance. */
    public Instance flush(String instanceId) {
        return http.send("POST", instancePath(instanceId) + "/flush", null, new TypeReference<>() { });
    }

    /** Empties one database (0..255). */
    public Instance flush(String instanceId, int db) {
        return http.send("POST", instancePath(instanceId) + "/flush", Map.of("db", db), new TypeReference<>() { });
    }

    /** Restarts the instance's nodes and answers once it is {@code Normal} again. */
    public Instance restart(String instanceId) {
        return http.send("POST", instancePath(instanceId) + "/restart?wait=true", null, new TypeReference<>() { });
    }

    /**
     * Polls until the instance has this status (e.g. {@code Normal} after a switchover).
     *
     * @throws IllegalStateException with the last status seen when it does not within the timeout
     */
    public Instance awaitStatus(String instanceId, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Instance now = instance(instanceId);
        while (!status.equals(now.status())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + instanceId + " is " + now.status() + ", not " + status
                        + ", after " + timeout.toMillis() + " ms");
            }
            pause();
            now = instance(instanceId);
        }
        return now;
    }

    // access control and parameters

    public List<Settings.SecurityIpGroup> securityIps(String instanceId) {
        return http.get(instancePath(instanceId) + "/security-ips", new TypeReference<>() { });
    }

    /** Changes one whitelist group: {@code Cover} replaces its entries, {@code Append} adds, {@code Delete} removes. */
    public List<Settings.SecurityIpGroup> modifySecurityIps(String instanceId, String group, Settings.IpMode mode,
                                                            List<String> ips) {
        return http.send("PUT", instancePath(instanceId) + "/security-ips/" + enc(group),
                Map.of("ips", ips, "mode", mode.name()), new TypeReference<>() { });
    }

    public List<Settings.Account> accounts(String instanceId) {
        return http.get(instancePath(instanceId) + "/accounts", new TypeReference<>() { });
    }

    public Settings.Account createAccount(String instanceId, String name, String password, Settings.Privilege privilege) {
        return http.send("POST", instancePath(instanceId) + "/accounts",
                Map.of("accountName", name, "accountPassword", password, "accountPrivilege", privilege.name()),
                new TypeReference<>() { });
    }

    public void deleteAccount(String instanceId, String name) {
        http.send("DELETE", accountPath(instanceId, name), null);
    }

    public void resetAccountPassword(String instanceId, String name, String password) {
        http.send("PUT", accountPath(instanceId, name) + "/password", Map.of("accountPassword", password));
    }

    public Settings.Account modifyAccountPrivilege(String instanceId, String name, Settings.Privilege privilege) {
        return http.send("PUT", accountPath(instanceId, name) + "/privilege",
                Map.of("accountPrivilege", privilege.name()), new TypeReference<>() { });
    }

    public List<Settings.Parameter> parameters(String instanceId) {
        return http.get(instancePath(instanceId) + "/parameters", new TypeReference<>() { });
    }

    /** Changes parameters, e.g. {@code Map.of("maxmemory-policy", "noeviction")}; all or nothing. */
    public List<Settings.Parameter> modifyParameters(String instanceId, Map<String, ?> changes) {
        return http.send("PATCH", instancePath(instanceId) + "/parameters", changes, new TypeReference<>() { });
    }

    // HA

    /** Switches master and replica now (shard 0). The instance is {@code HASwitching}, then {@code Normal}. */
    public void switchover(String instanceId, SwitchType type) {
        switchover(instanceId, type, 0);
    }

    /** Switches master and replica of one shard now. */
    public void switchover(String instanceId, SwitchType type, int shard) {
        http.send("POST", instancePath(instanceId) + "/switchover",
                Map.of("switchType", type.apiName(), "switchMode", 0, "shard", shard));
    }

    // faults

    /** The fault builders for this instance. */
    public FaultBuilders faults(String instanceId) {
        return new FaultBuilders(http, instanceId);
    }

    /** The instance's faults, pending, active and ended. */
    public List<Fault> faultsOf(String instanceId) {
        return http.get(instancePath(instanceId) + "/faults", new TypeReference<>() { });
    }

    public Fault fault(String faultId) {
        return http.get("/api/v1/faults/" + enc(faultId), new TypeReference<>() { });
    }

    public void removeFault(String faultId) {
        http.send("DELETE", "/api/v1/faults/" + enc(faultId), null);
    }

    /** Ends every fault of every instance and resumes paused nodes. */
    public void resetFaults() {
        http.send("POST", "/api/v1/faults/reset", null);
    }

    // events and SLA

    public List<Event> events(String instanceId) {
        return http.get(instancePath(instanceId) + "/events", new TypeReference<>() { });
    }

    public SlaReport sla(String instanceId, YearMonth month) {
        return http.get(instancePath(instanceId) + "/sla?month=" + month, new TypeReference<>() { });
    }

    /** Every instance's SLA report for the month. */
    public List<SlaReport> sla(YearMonth month) {
        return http.get("/api/v1/sla?month=" + month, new TypeReference<>() { });
    }

    private static String instancePath(String instanceId) {
        return "/api/v1/instances/" + enc(instanceId);
    }

    private static String accountPath(String instanceId, String name) {
        return instancePath(instanceId) + "/accounts/" + enc(name);
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kvsim", e);
        }
    }
}
