package dev.kvsim.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The slot map a cluster instance is created with and stored as. */
class SlotMapTest {

    /** Equal contiguous ranges: shard i starts at the first slot at or above i × 16384 / shards. */
    private static final Map<Integer, String> EVEN = Map.of(
            1, "0-16383:0",
            2, "0-8191:0,8192-16383:1",
            3, "0-5461:0,5462-10922:1,10923-16383:2",
            4, "0-4095:0,4096-8191:1,8192-12287:2,12288-16383:3",
            5, "0-3276:0,3277-6553:1,6554-9830:2,9831-13107:3,13108-16383:4",
            6, "0-2730:0,2731-5461:1,5462-8191:2,8192-10922:3,10923-13653:4,13654-16383:5",
            7, "0-2340:0,2341-4681:1,4682-7021:2,7022-9362:3,9363-11702:4,11703-14043:5,14044-16383:6",
            8, "0-2047:0,2048-4095:1,4096-6143:2,6144-8191:3,8192-10239:4,10240-12287:5,12288-14335:6,14336-16383:7",
            16, "0-1023:0,1024-2047:1,2048-3071:2,3072-4095:3,4096-5119:4,5120-6143:5,6144-7167:6,7168-8191:7,"
                    + "8192-9215:8,9216-10239:9,10240-11263:10,11264-12287:11,12288-13311:12,13312-14335:13,"
                    + "14336-15359:14,15360-16383:15");

    @Test
    void evenSplitsAreTheseRanges() {
        EVEN.forEach((shards, ranges) -> {
            SlotMap m = SlotMap.even(shards);
            assertEquals(ranges, m.format(), shards + " shards");
            assertEquals(shards, m.shards());
        });
    }

    @Test
    void shardOfAtTheBoundaries() {
        SlotMap three = SlotMap.even(3);
        assertEquals(0, three.shardOf(0));
        assertEquals(0, three.shardOf(5461));
        assertEquals(1, three.shardOf(5462));
        assertEquals(1, three.shardOf(10922));
        assertEquals(2, three.shardOf(10923));
        assertEquals(2, three.shardOf(16383));
        SlotMap two = SlotMap.even(2);
        assertEquals(0, two.shardOf(8191));
        assertEquals(1, two.shardOf(8192));
        // the slots of foo and bar, as CLUSTER KEYSLOT answers them (HashSlotsTest)
        assertEquals(1, two.shardOf(12182));
        assertEquals(0, two.shardOf(5061));
        assertEquals(2, three.shardOf(12182));
        assertEquals(0, three.shardOf(5061));
    }

    @Test
    void whatIsStoredReadsBackAsItWas() {
        for (String ranges : EVEN.values()) {
            assertEquals(ranges, SlotMap.parse(ranges).format());
        }
        // not an even split: the stored map is the truth
        SlotMap moved = SlotMap.parse("0-100:1,101-8191:0,8192-16383:1");
        assertEquals("0-100:1,101-8191:0,8192-16383:1", moved.format());
        assertEquals(2, moved.shards());
        assertEquals(1, moved.shardOf(0));
        assertEquals(1, moved.shardOf(100));
        assertEquals(0, moved.shardOf(101));
        assertEquals(0, moved.shardOf(8191));
        assertEquals(1, moved.shardOf(8192));
    }

    @Test
    void adjacentRangesOfOneShardAreWrittenAsOne() {
        assertEquals("0-16383:0", SlotMap.parse("0-99:0,100-16383:0").format());
        assertEquals("0-8191:0,8192-16383:1", SlotMap.parse("8192-16383:1,0-4000:0,4001-8191:0").format());
    }

    @Test
    void upTo256Shards() {
        SlotMap m = SlotMap.even(256);
        assertEquals(256, m.shards());
        assertEquals(0, m.shardOf(63));
        assertEquals(1, m.shardOf(64));
        assertEquals(128, m.shardOf(8192));
        assertEquals(255, m.shardOf(16383));
        assertEquals(255, SlotMap.parse(m.format()).shardOf(16383));
        assertThrows(IllegalArgumentException.class, () -> SlotMap.even(257));
        assertThrows(IllegalArgumentException.class, () -> SlotMap.even(0));
    }

    @Test
    void aDamagedMapIsRefusedWithItsFault() {
        assertRefused("", "'' is not first-last:shard");
        assertRefused("0-8191:0,", "'' is not first-last:shard");
        assertRefused("0-16383", "'0-16383' is not first-last:shard");
        assertRefused("a-b:0", "'a-b:0' is not first-last:shard");
        assertRefused("0-16383:-1", "'0-16383:-1' is not first-last:shard");
        assertRefused("0-16384:0", "'0-16384:0' is not a range of slots within 0-16383");
        assertRefused("100-50:0,0-16383:1", "'100-50:0' is not a range of slots within 0-16383");
        assertRefused("0-16383:256", "'0-16383:256' names shard 256; a cluster has at most 256 shards");
        assertRefused("0-8191:0", "slot 8192 has no shard");
        assertRefused("0-8191:0,8000-16383:1", "slot 8000 is in two ranges");
    }

    private static void assertRefused(String ranges, String fault) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlotMap.parse(ranges), ranges);
        assertEquals("Slot map '" + ranges + "': " + fault + ".", e.getMessage());
    }
}
