package dev.kvsim.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Which shard owns each of the 16,384 hash slots: the config server's role. Stored with the
 * instance as ranges, "0-8191:0,8192-16383:1".
 */
public final class SlotMap {

    public static final int SLOTS = HashSlots.SLOTS;

    private final byte[] shardOfSlot = new byte[SLOTS];
    private final int shards;

    private SlotMap(int shards) {
        this.shards = shards;
    }

    /** Slots split into equal contiguous ranges, as a new cluster instance gets them. */
    public static SlotMap even(int shards) {
        SlotMap m = new SlotMap(shards);
        for (int slot = 0; slot < SLOTS; slot++) {
            m.shardOfSlot[slot] = (byte) ((long) slot * shards / SLOTS);
        }
        return m;
    }

    public static SlotMap parse(String ranges) {
        List<int[]> parsed = new ArrayList<>();
        int maxShard = 0;
        for (String range : ranges.split(",")) {
            String[] slotsAndShard = range.split(":");
            String[] firstLast = slotsAndShard[0].split("-");
            int shard = Integer.parseInt(slotsAndShard[1]);
            parsed.add(new int[] {Integer.parseInt(firstLast[0]), Integer.parseInt(firstLast[1]), shard});
            maxShard = Math.max(maxShard, shard);
        }
        SlotMap m = new SlotMap(maxShard + 1);
        for (int[] r : parsed) {
            for (int slot = r[0]; slot <= r[1]; slot++) {
                m.shardOfSlot[slot] = (byte) r[2];
            }
        }
        return m;
    }

    public String format() {
        StringBuilder b = new StringBuilder();
        int start = 0;
        for (int slot = 1; slot <= SLOTS; slot++) {
            if (slot == SLOTS || shardOfSlot[slot] != shardOfSlot[start]) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(start).append('-').append(slot - 1).append(':').append(shardOfSlot[start]);
                start = slot;
            }
        }
        return b.toString();
    }

    public int shardOf(int slot) {
        return shardOfSlot[slot];
    }

    public int shards() {
        return shards;
    }
}
