package dev.kvsim.proxy;

import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reserved entries match whole commands and "command|subcommand" pairs of any command. */
class ReservedEntryTest {

    private final ProxyContext ctx = new ProxyContext("r-test", null, null,
            Set.of("debug", "xgroup|destroy", "georadius|x", "config|rewrite"), null);

    private static RespCommand parse(String inline) throws Exception {
        List<RespCommand> out = new ArrayList<>();
        new RespCommandParser().feed(Buffer.buffer(inline + "\r\n"), true, out::add);
        return out.get(0);
    }

    @Test
    void wholeCommandsAndPairsOfAnyCommand() throws Exception {
        assertEquals("debug", ctx.reservedEntry(parse("DEBUG SLEEP 0")));
        assertEquals("xgroup|destroy", ctx.reservedEntry(parse("XGROUP DESTROY s g")));
        assertEquals("georadius|x", ctx.reservedEntry(parse("GEORADIUS X 1 2 3 m")));
        assertEquals("config|rewrite", ctx.reservedEntry(parse("config Rewrite")));
        assertNull(ctx.reservedEntry(parse("XGROUP CREATE s g $")));
        assertNull(ctx.reservedEntry(parse("GEORADIUS")));
        assertNull(ctx.reservedEntry(parse("GET debug")));
    }
}
