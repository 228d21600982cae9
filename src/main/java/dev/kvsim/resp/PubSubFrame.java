package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Tells the engine's pub/sub frames (messages and (un)subscribe confirmations, which no command
 * is owed) from replies while a connection is subscribed. In RESP3 they are push frames, and an
 * array is always a reply; in RESP2 they are arrays whose first element names their kind.
 *
 * <p>One per subscribed connection: the engine keeps the connection in pub/sub mode until it has
 * neither channels nor patterns (the count in (P)SUBSCRIBE and (P)UNSUBSCRIBE confirmations) nor
 * shard channels (the count in SSUBSCRIBE and SUNSUBSCRIBE ones), so a confirmation's count of 0
 * ends the mode only when the other count is 0 too.
 */
public final class PubSubFrame {

    private static final Set<String> KINDS = Set.of("message", "pmessage", "smessage",
            "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe");
    private static final Set<String> CONFIRMATIONS = Set.of("subscribe", "psubscribe", "ssubscribe",
            "unsubscribe", "punsubscribe", "sunsubscribe");
    private static final Set<String> SHARD_CONFIRMATIONS = Set.of("ssubscribe", "sunsubscribe");

    /** Not a pub/sub frame: a reply to a command. */
    public static final int REPLY = 0;
    /** A pub/sub frame; the connection stays subscribed. */
    public static final int PUBSUB = 1;
    /** The confirmation of the last unsubscribe: the connection leaves pub/sub mode. */
    public static final int LAST_UNSUBSCRIBE = 2;

    /** Channels and patterns, then shard channels, as the latest confirmation of each family counted them. */
    private long channels;
    private long shardChannels;
    /** The connection's pub/sub frames are RESP3 pushes. */
    private boolean pushes;

    /** Whether a pub/sub frame confirms a (un)subscription, rather than carrying a message. */
    public static boolean isConfirmation(Buffer frame) {
        String kind = kind(frame);
        return kind != null && CONFIRMATIONS.contains(kind);
    }

    /** Whether a pub/sub frame confirms a subscription (SUBSCRIBE or PSUBSCRIBE). */
    public static boolean isSubscribe(Buffer frame) {
        String kind = kind(frame);
        return "subscribe".equals(kind) || "psubscribe".equals(kind);
    }

    /** The first element of an array or push frame when it is a short bulk string (its kind), else null. */
    private static String kind(Buffer frame) {
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        int p = cr + 2;
        if (cr < 0 || p >= frame.length() || frame.getByte(p) != '$') {
            return null;
        }
        int lcr = RespCommandParser.findCrlf(frame, p + 1, frame.length());
        int len = (int) RespCommandParser.parseLong(frame, p + 1, lcr);
        return len < 0 || len > 12 ? null : frame.getString(lcr + 2, lcr + 2 + len, StandardCharsets.US_ASCII.name());
    }

    /** Classifies one complete top-level frame, in the order the engine sent them. */
    public int classify(Buffer frame) {
        byte type = frame.getByte(0);
        if (type == '>') {
            pushes = true;
        } else if (type != '*' || pushes) {
            return REPLY;
        }
        int cr = RespCommandParser.findCrlf(frame, 1, frame.length());
        long elements = RespCommandParser.parseLong(frame, 1, cr);
        int p = cr + 2;
        if (elements < 1 || p >= frame.length() || frame.getByte(p) != '$') {
            return type == '>' ? PUBSUB : REPLY;
        }
        int lcr = RespCommandParser.findCrlf(frame, p + 1, frame.length());
        int len = (int) RespCommandParser.parseLong(frame, p + 1, lcr);
        if (len > 12) {
            return type == '>' ? PUBSUB : REPLY;
        }
        String kind = frame.getString(lcr + 2, lcr + 2 + len, StandardCharsets.US_ASCII.name());
        if (type == '*' && !KINDS.contains(kind)) {
            return REPLY;
        }
        if (elements != 3 || !CONFIRMATIONS.contains(kind)) {
            return PUBSUB;
        }
        long count = subscriptions(frame, lcr + 2 + len + 2);
        if (count < 0) {
            return PUBSUB;
        }
        if (SHARD_CONFIRMATIONS.contains(kind)) {
            shardChannels = count;
        } else {
            channels = count;
        }
        return kind.endsWith("unsubscribe") && channels == 0 && shardChannels == 0 ? LAST_UNSUBSCRIBE : PUBSUB;
    }

    /** The trailing integer of an (un)subscribe confirmation: [kind, channel or nil, count]; -1 if none. */
    private static long subscriptions(Buffer frame, int channelStart) {
        int p = channelStart;
        byte t = frame.getByte(p);
        int cr = RespCommandParser.findCrlf(frame, p + 1, frame.length());
        if (t == '$') {
            long len = RespCommandParser.parseLong(frame, p + 1, cr);
            p = len < 0 ? cr + 2 : (int) (cr + 2 + len + 2);
        } else {
            p = cr + 2;  // RESP3 null "_"
        }
        if (p >= frame.length() || frame.getByte(p) != ':') {
            return -1;
        }
        return RespCommandParser.parseLong(frame, p + 1, RespCommandParser.findCrlf(frame, p + 1, frame.length()));
    }
}
