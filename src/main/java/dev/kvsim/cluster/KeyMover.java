package dev.kvsim.cluster;

import dev.kvsim.engine.NodeClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Copies keys from one node to the nodes that own their slots, with the engine's own serialisation: {@code DUMP} and
 * {@code PTTL} on the source, {@code RESTORE key ttl payload REPLACE} on the target, database by database, in
 * pipelined batches. Values, types and TTLs arrive as they were; a key that expires or disappears meanwhile is
 * skipped. A clone into another shard count spreads a backup's keys with it; a reshard moves chosen slots with it
 * ({@code removeFromSource}).
 */
public final class KeyMover {

    /** Keys per SCAN step and per pipeline: bounds the memory a batch of DUMP payloads holds. */
    private static final int BATCH = 200;
    private static final int DATABASES = 256;

    /** @param copied keys the targets now hold; skipped: keys gone (deleted or expired) before they were read */
    public record Result(long copied, long skipped) {
    }

    private KeyMover() {
    }

    /**
     * @param slots            which keys to copy, by their hash slot
     * @param targets          the node that takes a slot's keys (the same client for many slots is fine)
     * @param removeFromSource unlink each key from the source once its target holds it (a move)
     */
    public static Result copy(NodeClient source, IntPredicate slots, IntFunction<NodeClient> targets,
                              boolean removeFromSource) {
        long copied = 0;
        long skipped = 0;
        Map<NodeClient, Integer> selected = new IdentityHashMap<>();
        for (int db : nonEmptyDatabases(source)) {
            source.send(Command.SELECT, Integer.toString(db));
            String cursor = "0";
            do {
                Response page = source.send(Command.SCAN, cursor, "COUNT", Integer.toString(BATCH));
                cursor = page.get(0).toString();
                List<byte[]> keys = new ArrayList<>();
                for (Response k : page.get(1)) {
                    byte[] key = k.toBuffer().getBytes();
                    if (slots.test(HashSlots.slot(key))) {
                        keys.add(key);
                    }
                }
                long[] counts = copyBatch(source, db, keys, targets, selected, removeFromSource);
                copied += counts[0];
                skipped += counts[1];
            } while (!cursor.equals("0"));
        }
        return new Result(copied, skipped);
    }

    private static long[] copyBatch(NodeClient source, int db, List<byte[]> keys, IntFunction<NodeClient> targets,
                                    Map<NodeClient, Integer> selected, boolean removeFromSource) {
        if (keys.isEmpty()) {
            return new long[]{0, 0};
        }
        List<Request> reads = new ArrayList<>();
        for (byte[] key : keys) {
            reads.add(Request.cmd(Command.DUMP).arg(key));
            reads.add(Request.cmd(Command.PTTL).arg(key));
        }
        List<Response> dumped = source.sendAll(reads);
        Map<NodeClient, List<Request>> writes = new LinkedHashMap<>();
        List<byte[]> moved = new ArrayList<>();
        long skipped = 0;
        for (int i = 0; i < keys.size(); i++) {
            Response payload = dumped.get(2 * i);
            long pttl = dumped.get(2 * i + 1).toLong();
            if (payload == null || pttl == -2) {
                skipped++;
                continue;
            }
            // RESTORE's 0 means "no TTL": a key about to expire keeps at least 1 ms
            long ttl = pttl == -1 ? 0 : Math.max(1, pttl);
            byte[] key = keys.get(i);
            NodeClient target = targets.apply(HashSlots.slot(key));
            List<Request> batch = writes.computeIfAbsent(target, t -> new ArrayList<>());
            if (!Integer.valueOf(db).equals(selected.get(target))) {
                batch.add(Request.cmd(Command.SELECT).arg(db));
                selected.put(target, db);
            }
            batch.add(Request.cmd(Command.RESTORE).arg(key).arg(ttl).arg(payload.toBuffer()).arg("REPLACE"));
            moved.add(key);
        }
        writes.forEach(NodeClient::sendAll);
        if (removeFromSource && !moved.isEmpty()) {
            Request unlink = Request.cmd(Command.UNLINK);
            moved.forEach(unlink::arg);
            source.sendAll(List.of(unlink));
        }
        return new long[]{moved.size(), skipped};
    }

    /** The databases that hold keys, from the source's INFO keyspace ({@code db3:keys=10,…}). */
    static List<Integer> nonEmptyDatabases(NodeClient source) {
        List<Integer> dbs = new ArrayList<>();
        for (String line : source.info("keyspace").split("\r?\n")) {
            if (line.startsWith("db") && line.contains(":keys=")) {
                int db = Integer.parseInt(line.substring(2, line.indexOf(':')));
                if (db >= 0 && db < DATABASES) {
                    dbs.add(db);
                }
            }
        }
        return dbs;
    }
}
