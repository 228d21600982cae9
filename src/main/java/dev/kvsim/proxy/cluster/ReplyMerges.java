package dev.kvsim.proxy.cluster;

import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the cluster proxy merges the shards' replies to one command into the reply a single node
 * would give, in the protocol the shards answered in (RESP2 or RESP3: a merge keeps the type of what
 * it merges, and elements pass as the engine encoded them). Every merge answers the first shard error
 * as it is, so a client sees the engine's text.
 */
final class ReplyMerges {

    private ReplyMerges() {
    }

    /** Merges MGET-style replies: {@code parts} per shard, {@code shards} their shard numbers, and each key's shard. */
    interface PerKeyMerge {
        Buffer merge(List<Buffer> parts, List<Integer> shards, List<Integer> shardOfKey);
    }

    static Buffer sumIntegers(List<Buffer> parts) {
        long sum = 0;
        for (Buffer p : parts) {
            if (RespFrames.isError(p)) {
                return p;
            }
            sum += RespFrames.integer(p);
        }
        return Resp.integer(sum);
    }

    static Buffer allOk(List<Buffer> parts) {
        Buffer error = firstError(parts);
        return error != null ? error : Resp.OK;
    }

    /** The first shard's reply, once none failed: for what every shard answers alike (FUNCTION LOAD, LIST, DUMP). */
    static Buffer firstUnlessError(List<Buffer> parts) {
        Buffer error = firstError(parts);
        return error != null ? error : parts.get(0);
    }

    /** OK when any shard answered OK (FUNCTION KILL: the shard that ran the function), else the first error. */
    static Buffer anyOk(List<Buffer> parts) {
        for (Buffer p : parts) {
            if (!RespFrames.isError(p)) {
                return p;
            }
        }
        return parts.get(0);
    }

    /** WAIT across shards: the fewest replicas that acknowledged, so that every shard has at least that many. */
    static Buffer minInteger(List<Buffer> parts) {
        Buffer error = firstError(parts);
        if (error != null) {
            return error;
        }
        long min = Long.MAX_VALUE;
        for (Buffer p : parts) {
            min = Math.min(min, RespFrames.integer(p));
        }
        return Resp.integer(min);
    }

    /**
     * FUNCTION STATS: the first shard's map (every shard has the same libraries), with the script
     * running on any shard as {@code running_script}.
     */
    static Buffer functionStats(List<Buffer> parts) {
        Buffer error = firstError(parts);
        if (error != null) {
            return error;
        }
        List<Buffer> fields = new ArrayList<>(RespFrames.elements(parts.get(0)));
        for (Buffer p : parts) {
            List<Buffer> other = RespFrames.elements(p);
            for (int k = 0; k + 1 < other.size(); k += 2) {
                if ("running_script".equals(text(other.get(k))) && !RespFrames.isNull(other.get(k + 1))) {
                    int at = indexOfKey(fields, "running_script");
                    if (at >= 0) {
                        fields.set(at + 1, other.get(k + 1));
                    }
                }
            }
        }
        return Resp.map(fields, RespFrames.type(parts.get(0)) == '%');
    }

    private static int indexOfKey(List<Buffer> keysAndValues, String key) {
        for (int k = 0; k + 1 < keysAndValues.size(); k += 2) {
            if (key.equals(text(keysAndValues.get(k)))) {
                return k;
            }
        }
        return -1;
    }

    private static String text(Buffer frame) {
        byte[] b = RespFrames.bulk(frame);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static Buffer firstError(List<Buffer> parts) {
        for (Buffer p : parts) {
            if (RespFrames.isError(p)) {
                return p;
            }
        }
        return null;
    }

    static Buffer concatArrays(List<Buffer> parts) {
        List<Buffer> all = new ArrayList<>();
        for (Buffer p : parts) {
            if (RespFrames.isError(p)) {
                return p;
            }
            all.addAll(RespFrames.elements(p));
        }
        return Resp.array(all);
    }

    /** RANDOMKEY: a key from a random shard that has one; else the shards' null, in their protocol. */
    static Buffer anyNonNull(List<Buffer> parts) {
        List<Buffer> keys = new ArrayList<>();
        for (Buffer p : parts) {
            if (RespFrames.isError(p)) {
                return p;
            }
            if (!RespFrames.isNull(p)) {
                keys.add(p);
            }
        }
        return keys.isEmpty() ? parts.get(0) : keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
    }

    /** MGET split by shard: the values put back in the order of the keys. */
    static Buffer mergeMget(List<Buffer> parts, List<Integer> shards, List<Integer> shardOfKey) {
        List<List<Buffer>> values = new ArrayList<>();
        for (Buffer p : parts) {
            if (RespFrames.isError(p)) {
                return p;
            }
            values.add(RespFrames.elements(p));
        }
        int[] next = new int[parts.size()];
        List<Buffer> ordered = new ArrayList<>();
        for (int shard : shardOfKey) {
            int part = shards.indexOf(shard);
            ordered.add(values.get(part).get(next[part]++));
        }
        return Resp.array(ordered);
    }

    /** SDIFF / SINTER / SUNION from each key's SMEMBERS, in key order: a set in RESP3, an array in RESP2. */
    static Buffer combineSets(String operation, List<Buffer> members) {
        List<Set<ByteBuffer>> sets = new ArrayList<>();
        for (Buffer p : members) {
            if (RespFrames.isError(p)) {
                return p;
            }
            Set<ByteBuffer> s = new LinkedHashSet<>();
            RespFrames.elements(p).forEach(e -> s.add(ByteBuffer.wrap(RespFrames.bulk(e))));
            sets.add(s);
        }
        Set<ByteBuffer> result = new LinkedHashSet<>(sets.get(0));
        for (Set<ByteBuffer> s : sets.subList(1, sets.size())) {
            switch (operation) {
                case "sdiff" -> result.removeAll(s);
                case "sinter" -> result.retainAll(s);
                default -> result.addAll(s);
            }
        }
        List<Buffer> out = new ArrayList<>();
        result.forEach(b -> out.add(Resp.bulk(b.array())));
        return Resp.set(out, RespFrames.type(members.get(0)) == '~');
    }

    /** The INFO memory fields a cluster's INFO sums over its shards, so that they describe the instance. */
    private static final List<String> SUMMED_MEMORY = List.of("used_memory", "maxmemory");

    /**
     * INFO: the first shard's text, with {@code used_memory} and {@code maxmemory} (and their
     * {@code _human} forms) and the Keyspace section summed over every shard.
     */
    static Buffer mergeInfo(List<Buffer> parts) {
        Buffer error = firstError(parts);
        if (error != null) {
            return error;
        }
        List<String> texts = parts.stream().map(p -> new String(RespFrames.bulk(p), StandardCharsets.UTF_8)).toList();
        boolean verbatim = RespFrames.type(parts.get(0)) == '=';
        String first = sumMemory(texts);
        int ks = first.indexOf("# Keyspace");
        if (ks < 0) {
            return Resp.verbatim(first, verbatim);
        }
        java.util.TreeMap<Integer, long[]> dbs = new java.util.TreeMap<>();
        for (String text : texts) {
            for (String line : text.split("\r\n")) {
                if (line.matches("db\\d+:keys=\\d+,expires=\\d+,avg_ttl=\\d+.*")) {
                    int db = Integer.parseInt(line.substring(2, line.indexOf(':')));
                    String[] f = line.substring(line.indexOf(':') + 1).split(",");
                    long[] sum = dbs.computeIfAbsent(db, k -> new long[3]);
                    sum[0] += Long.parseLong(f[0].substring(5));
                    sum[1] += Long.parseLong(f[1].substring(8));
                    sum[2] = Math.max(sum[2], Long.parseLong(f[2].substring(8)));
                }
            }
        }
        int end = first.indexOf("\r\n\r\n", ks);
        StringBuilder keyspace = new StringBuilder("# Keyspace\r\n");
        dbs.forEach((db, s) -> keyspace.append("db").append(db).append(":keys=").append(s[0]).append(",expires=")
                .append(s[1]).append(",avg_ttl=").append(s[2]).append("\r\n"));
        String merged = first.substring(0, ks) + keyspace + (end < 0 ? "" : first.substring(end + 2));
        return Resp.verbatim(merged, verbatim);
    }

    /** The first text with each {@link #SUMMED_MEMORY} field (and its {@code _human} form) summed over all texts. */
    private static String sumMemory(List<String> texts) {
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        for (String text : texts) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && SUMMED_MEMORY.contains(line.substring(0, colon))) {
                    sums.merge(line.substring(0, colon), Long.parseLong(line.substring(colon + 1).trim()), Long::sum);
                }
            }
        }
        if (sums.isEmpty()) {
            return texts.get(0);
        }
        StringBuilder out = new StringBuilder();
        for (String line : texts.get(0).split("\r\n", -1)) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon) : "";
            String base = name.endsWith("_human") ? name.substring(0, name.length() - "_human".length()) : name;
            if (sums.containsKey(base)) {
                long sum = sums.get(base);
                line = name + ":" + (name.equals(base) ? Long.toString(sum) : bytesToHuman(sum));
            }
            out.append(line).append("\r\n");
        }
        return out.substring(0, out.length() - 2);
    }

    /** The engine's own {@code _human} format (bytesToHuman in Redis's server.c). */
    static String bytesToHuman(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double d = n / 1024.0;
        int u = 0;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }
}
