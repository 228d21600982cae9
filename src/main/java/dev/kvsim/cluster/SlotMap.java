package dev.kvsim.cluster;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which shard owns each of the 16,384 hash slots: the config server's role. Stored with the
 * instance as ranges, "0-8191:0,8192-16383:1".
 */
public final class SlotMap {

    public static final int SLOTS = HashSlots.SLOTS;
    /** Shard numbers are kept in a byte per slot (16 KB a map). */
    public static final int MAX_SHARDS = 256;

    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5}):(\\d{1,5})");

    private final byte[] shardOfSlot = new byte[SLOTS];
    private final int shards;

    private SlotMap(int shards) {
        this.shards = shards;
    }

    /** Slots split into equal contiguous ranges, as a new cluster instance gets them. */
    public static SlotMap even(int shards) {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("A cluster has 1 to " + MAX_SHARDS + " shards; got " + shards + ".");
        }
        SlotMap m = new SlotMap(shards);
        for (int slot = 0; slot < SLOTS; slot++) {
            m.shardOfSlot[slot] = (byte) ((long) slot * shards / SLOTS);
        }
        return m;
    }

    /**
     * Reads a stored map. It must give every slot exactly one shard: a damaged one is refused
     * with its fault rather than sending the slots it misses to shard 0.
     */
    public static SlotMap parse(String ranges) {
        int[] owner = new int[SLOTS];
        Arrays.fill(owner, -1);
        int maxShard = 0;
        for (String range : ranges.split(",", -1)) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                throw damaged(ranges, "'" + range + "' is not first-last:shard");
            }
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            int shard = Integer.parseInt(m.group(3));
            if (first > last || last >= SLOTS) {
                throw damaged(ranges, "'" + range + "' is not a range of slots within 0-" + (SLOTS - 1));
            }
            if (shard >= MAX_SHARDS) {
                throw damaged(ranges, "'" + range + "' names shard " + shard + "; a cluster has at most " + MAX_SHARDS + " shards");
            }
            for (int slot = first; slot <= last; slot++) {
                if (owner[slot] >= 0) {
                    throw damaged(ranges, "slot " + slot + " is in two ranges");
                }
                owner[slot] = shard;
            }
            maxShard = Math.max(maxShard, shard);
        }
        SlotMap m = new SlotMap(maxShard + 1);
        for (int slot = 0; slot < SLOTS; slot++) {
            if (owner[slot] < 0) {
                throw damaged(ranges, "slot " + slot + " has no shard");
            }
            m.shardOfSlot[slot] = (byte) owner[slot];
        }
        return m;
    }

    private static IllegalArgumentException damaged(String ranges, String fault) {
        return new IllegalArgumentException("Slot map '" + ranges + "': " + fault + ".");
    }

    public String format() {
        StringBuilder b = new StringBuilder();
        int start = 0;
        for (int slot = 1; slot <= SLOTS; slot++) {
            if (slot == SLOTS || shardOfSlot[slot] != shardOfSlot[start]) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(start).append('-').append(slot - 1).append(':').append(shardOf(start));
                start = slot;
            }
        }
        return b.toString();
    }

    public int shardOf(int slot) {
        return shardOfSlot[slot] & 0xFF;
    }

    public int shards() {
        return shards;
    }
}
