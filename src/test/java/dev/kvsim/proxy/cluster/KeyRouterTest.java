package dev.kvsim.proxy.cluster;

import dev.kvsim.cluster.SlotMap;
import dev.kvsim.commands.CommandReplies;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespCommandParser;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cluster router with a command table that has a command whose keys it cannot find from its
 * arguments (a module's movablekeys command; Redis 7.0 itself has none): it answers as a proxy that
 * does not know the command, with the engine's text. It answered {@code ERR kvsim: the cluster proxy
 * cannot route …}.
 */
class KeyRouterTest {

    @Test
    void aCommandWhoseKeysCannotBeFoundIsUnknownToTheProxy() throws Exception {
        KeySpecs specs = KeySpecs.fromCommandReply(CommandReplies.array(
                CommandReplies.entry("mod.cmd", -2, List.of("write", "movablekeys"), 0, 0, 0)));
        Recorder io = new Recorder();
        new KeyRouter(io, SlotMap.even(2), specs).route("mod.cmd", command("MOD.CMD", "k", "v"));
        assertEquals(List.of("-ERR unknown command 'MOD.CMD', with args beginning with: 'k' 'v' \r\n"), io.local);
        assertEquals(0, io.sent);
    }

    private static RespCommand command(String... args) throws Exception {
        StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        List<RespCommand> parsed = new ArrayList<>();
        new RespCommandParser().feed(Buffer.buffer(b.toString()), true, c -> parsed.add(c));
        return parsed.get(0);
    }

    /** What the router asked of its session. */
    private static final class Recorder implements ClusterIo {
        final List<String> local = new ArrayList<>();
        int sent;

        @Override
        public void local(Buffer reply) {
            local.add(reply.toString());
        }

        @Override
        public ClusterReply pending(int parts, Function<List<Buffer>, Buffer> merge) {
            return new ClusterReply(parts, merge);
        }

        @Override
        public void shared(int shard, Buffer frame, Consumer<Buffer> onReply) {
            sent++;
        }

        @Override
        public void sendOwn(int shard, Buffer frame, Consumer<Buffer> onReply) {
            sent++;
        }

        @Override
        public int shards() {
            return 2;
        }

        @Override
        public void wrote(int shard) {
        }
    }
}
