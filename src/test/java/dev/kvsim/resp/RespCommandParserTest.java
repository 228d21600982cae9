package dev.kvsim.resp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Commands arrive in pieces cut anywhere; the parser must hand each over once it is whole. */
class RespCommandParserTest {

    private static Buffer command(int args, String prefix) {
        StringBuilder b = new StringBuilder("*" + (args + 1) + "\r\n$6\r\nEXISTS\r\n");
        for (int i = 0; i < args; i++) {
            String a = prefix + i;
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return Buffer.buffer(b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void manyShortArgumentsCutInsideAnArgumentArriveWhole() throws Exception {
        // 130 arguments of ~12 bytes: shorter than any per-argument guess above the minimum of 6 bytes
        Buffer whole = command(130, "kxxxxxxx");
        for (int cut = 1; cut < whole.length(); cut += 7) {
            RespCommandParser parser = new RespCommandParser();
            List<Integer> argc = new ArrayList<>();
            parser.feed(whole.getBuffer(0, cut), true, c -> argc.add(c.argc()));
            parser.feed(whole.getBuffer(cut, whole.length()), true, c -> argc.add(c.argc()));
            assertEquals(List.of(131), argc, "cut at byte " + cut);
        }
    }

    @Test
    void aCommandInThreePiecesWithTinyArgumentsArrivesOnce() throws Exception {
        Buffer whole = command(500, "");
        RespCommandParser parser = new RespCommandParser();
        List<Integer> argc = new ArrayList<>();
        int a = whole.length() / 3;
        int b = 2 * whole.length() / 3;
        parser.feed(whole.getBuffer(0, a), true, c -> argc.add(c.argc()));
        parser.feed(whole.getBuffer(a, b), true, c -> argc.add(c.argc()));
        parser.feed(whole.getBuffer(b, whole.length()), true, c -> argc.add(c.argc()));
        assertEquals(List.of(501), argc);
    }
}
