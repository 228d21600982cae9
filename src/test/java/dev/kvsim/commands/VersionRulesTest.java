package dev.kvsim.commands;

import dev.kvsim.RedisServerProcess;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kvsim's version rules against the releases themselves: every command line of the recorded transcripts
 * ({@code engine-versions-transcripts.tsv}: what 4.0.14, 5.0.14 and 6.0.20 answered, beside 7.0.15) gets the
 * release's answer where it differs from the engine's, and passes where the engine answers as the release did.
 */
class VersionRulesTest {

    /**
     * Where the release answered otherwise for a reason the version table does not hold; docs/instances.md lists
     * them. Key: major and command line.
     */
    private static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
            "6.0|HELLO", "HELLO's protocol version became optional in 6.2; the table does not date it",
            "5.0|XINFO STREAM s FULL", "XINFO STREAM FULL came in 6.0; the table does not date it",
            "5.0|XTRIM x", "XTRIM's arity grew in 6.2 (MINID); the engine answers with 7.0's arity",
            "6.0|XTRIM x", "XTRIM's arity grew in 6.2 (MINID); the engine answers with 7.0's arity",
            "5.0|LOLWUT x", "LOLWUT's arguments changed in 6.0",
            "6.0|LOLWUT x", "LOLWUT's arguments changed in 6.0",
            "6.0|AUTH u p", "the proxy answers AUTH itself, with the service's WRONGPASS text");

    private static RedisServerProcess server;
    private static Vertx vertx;
    private static KeySpecs engine;

    @BeforeAll
    static void learnTheEnginesTable() throws Exception {
        server = RedisServerProcess.start();
        vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
        engine = KeySpecs.fromCommandReply(client.send(Request.cmd(Command.COMMAND)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        client.close();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void everyRecordedCommandLineGetsTheReleasesAnswer() throws Exception {
        List<String> wrong = new ArrayList<>();
        int refused = 0;
        int passed = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getClassLoader().getResourceAsStream("engine-versions-transcripts.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t", 4);
                if (KNOWN_DIFFERENCES.containsKey(row[0] + "|" + row[1])) {
                    continue;
                }
                VersionRules rules = VersionRules.of(MajorVersion.of(row[0]).orElseThrow(), "7.0.15");
                VersionRules.Refusal r = rules.check(command(row[1]), engine);
                String got = r == null ? null : "-" + r.text();
                if (row[2].equals(row[3]) || !row[2].startsWith("-")) {
                    passed++;  // the engine answers as the release did (kvsim may answer the same text itself)
                    if (got != null && !got.equals(row[2])) {
                        wrong.add(row[0] + " " + row[1] + ": refused with " + got + "; the release answered " + row[2]);
                    }
                } else {
                    refused++;
                    if (!row[2].equals(got)) {
                        wrong.add(row[0] + " " + row[1] + ": " + got + "; the release answered " + row[2]);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " differ:\n" + String.join("\n", wrong));
        assertTrue(refused > 400 && passed > 100, refused + " refused, " + passed + " passed");
    }

    @Test
    void aRefusalBeforeQueuingIsAnUnknownCommandOrAWrongNumberOfArguments() {
        VersionRules v5 = VersionRules.of(MajorVersion.V5_0, "7.0.15");
        assertTrue(v5.check(command("GETDEL k"), engine).atQueue());
        assertTrue(v5.check(command("LPOP l 2"), engine).atQueue());
        assertEquals(false, v5.check(command("SET k v GET"), engine).atQueue());
        assertEquals(false, v5.check(command("CLIENT INFO"), engine).atQueue());
        // 7.0 checks subcommands before queuing
        VersionRules.Refusal unknownSub = VersionRules.of(MajorVersion.V7_0, "7.2.4").check(command("CLIENT NOSUCH"), engine);
        assertEquals("ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.", unknownSub.text());
        assertTrue(unknownSub.atQueue());
    }

    @Test
    void anInstanceOfTheEnginesOwnReleaseIsNotChecked() {
        assertSame(VersionRules.NONE, VersionRules.of(MajorVersion.V7_0, "7.0.15"));
        assertSame(VersionRules.NONE, VersionRules.of(MajorVersion.V6_0, "6.0.20"));
        assertNull(VersionRules.NONE.check(command("GETDEL k"), engine));
        // 6.0 means the last 6.0 release: a 6.2 engine runs a 6.0 instance as 6.0.20
        assertEquals("ERR unknown command `GETDEL`, with args beginning with: `k`, ",
                VersionRules.of(MajorVersion.V6_0, "6.2.6").check(command("GETDEL k"), engine).text());
        assertNull(VersionRules.of(MajorVersion.V6_0, "6.2.6").check(command("LPOS l a"), engine));  // 6.0.6
    }

    @Test
    void commandCountIsTheReleasesOnThisEngine() {
        // 4.0.14, 5.0.14 and 6.0.20 answer 180, 200 and 205; 6.0's STRALGO is gone from the engine (7.0 replaced it by LCS)
        assertEquals(180, VersionRules.of(MajorVersion.V4_0, "7.0.15").commandCount(engine));
        assertEquals(200, VersionRules.of(MajorVersion.V5_0, "7.0.15").commandCount(engine));
        assertEquals(204, VersionRules.of(MajorVersion.V6_0, "7.0.15").commandCount(engine));
    }

    @Test
    void theArgumentsOfTheCommandsMostUsedAreReadInPlace() {
        VersionRules v5 = VersionRules.of(MajorVersion.V5_0, "7.0.15");
        // a value or a member that reads like a newer token is data, not an option
        assertNull(v5.check(command("SET k GET"), engine));
        assertNull(v5.check(command("ZADD z 1 GT"), engine));
        assertNull(v5.check(command("XADD s * MINID v"), engine));
        assertNull(v5.check(command("SET k v EX 10 NX"), engine));
        assertEquals("ERR syntax error", v5.check(command("SET k v EX 10 GET"), engine).text());
        assertEquals("ERR syntax error", v5.check(command("set k v get"), engine).text());
    }

    static RespCommand command(String line) {
        StringBuilder resp = new StringBuilder();
        String[] args = line.split(" ");
        resp.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            resp.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        List<RespCommand> out = new ArrayList<>();
        try {
            new RespCommandParser().feed(Buffer.buffer(resp.toString()), true, c -> out.add(c));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out.get(0);
    }
}
