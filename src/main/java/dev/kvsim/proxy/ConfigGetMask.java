package dev.kvsim.proxy;

import dev.kvsim.resp.RespCommandParser;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rewrites a CONFIG GET reply so that it shows the instance, not the node behind it: the node's
 * internal password, port and client limit are replaced by the instance's own values.
 */
public final class ConfigGetMask implements UnaryOperator<Buffer> {

    private final Map<String, String> replacements;

    ConfigGetMask(Map<String, String> replacements) {
        this.replacements = replacements;
    }

    /** The instance's view: no passwords, its own port and connection cap. */
    public static ConfigGetMask of(InstanceProxy proxy) {
        return new ConfigGetMask(Map.of("requirepass", "", "masterauth", "",
                "port", Integer.toString(proxy.publicPort()),
                "maxclients", Integer.toString(proxy.policy().maxConnections())));
    }

    @Override
    public Buffer apply(Buffer reply) {
        if (reply.length() == 0 || (reply.getByte(0) != '*' && reply.getByte(0) != '%')) {
            return reply;
        }
        boolean map = reply.getByte(0) == '%';
        int cr = RespCommandParser.findCrlf(reply, 1, reply.length());
        long n = RespCommandParser.parseLong(reply, 1, cr);
        long elements = map ? n * 2 : n;
        List<byte[]> items = new ArrayList<>();
        int p = cr + 2;
        for (long i = 0; i < elements; i++) {
            if (reply.getByte(p) != '$') {
                return reply;
            }
            int lcr = RespCommandParser.findCrlf(reply, p + 1, reply.length());
            int len = (int) RespCommandParser.parseLong(reply, p + 1, lcr);
            items.add(reply.getBytes(lcr + 2, lcr + 2 + len));
            p = lcr + 2 + len + 2;
        }
        Buffer out = Buffer.buffer(reply.length() + 64);
        out.appendString((map ? "%" : "*") + n + "\r\n");
        for (int i = 0; i < items.size(); i++) {
            byte[] item = items.get(i);
            if (i % 2 == 1) {
                String key = new String(items.get(i - 1), StandardCharsets.UTF_8);
                String replacement = replacements.get(key);
                if (replacement != null) {
                    item = replacement.getBytes(StandardCharsets.UTF_8);
                }
            }
            out.appendString("$" + item.length + "\r\n").appendBytes(item).appendString("\r\n");
        }
        return out;
    }
}
