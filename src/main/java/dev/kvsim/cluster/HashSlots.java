package dev.kvsim.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384, exactly as Redis's
 * {@code keyHashSlot}. Clients of a cluster instance expect keys to land where a real cluster would put them
 * (hash tags keep related keys on one shard), so this must agree with Redis bit for bit.
 * <p>
 * {@link #slot(byte[])} is on the proxy's per-command path, so it is table driven and does not allocate.
 */
public final class HashSlots {

    public static final int SLOTS = 16384;

    private static final int[] CRC16_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[i] = crc & 0xFFFF;
        }
    }

    private HashSlots() {
    }

    public static int slot(byte[] key) {
        int start = 0;
        int end = key.length;
        int open = indexOf(key, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(key, (byte) '}', open + 1);
            // "{}" is not a hash tag: Redis then hashes the whole key.
            if (close > open + 1) {
                start = open + 1;
                end = close;
            }
        }
        return crc16(key, start, end) & (SLOTS - 1);
    }

    public static int slot(String key) {
        return slot(key.getBytes(StandardCharsets.UTF_8));
    }

    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
