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

    private final CommandRules rules = new CommandRules(Set.of("debug", "xgroup|destroy", "georadius|x", "config|rewrite"),
            Set.of());

    private static RespCommand parse(String inline) throws Exception {
        List<RespCommand> out = new ArrayList<>();
        new RespCommandParser().feed(Buffer.buffer(inline + "\r\n"), true, out::add);
        return out.get(0);
    }

    @Test
    void wholeCommandsAndPairsOfAnyCommand() throws Exception {
        assertEquals("debug", rules.reservedEntry(parse("DEBUG SLEEP 0")));
        assertEquals("xgroup|destroy", rules.reservedEntry(parse("XGROUP DESTROY s g")));
        assertEquals("georadius|x", rules.reservedEntry(parse("GEORADIUS X 1 2 3 m")));
        assertEquals("config|rewrite", rules.reservedEntry(parse("config Rewrite")));
        assertNull(rules.reservedEntry(parse("XGROUP CREATE s g $")));
        assertNull(rules.reservedEntry(parse("GEORADIUS")));
        assertNull(rules.reservedEntry(parse("GET debug")));
    }
}
