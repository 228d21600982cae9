package dev.kvsim.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the arguments of one command stand in a command line, from Redis 7.0.15's argument specs
 * ({@code engine-versions/arguments.json}), so that an argument the version table dates can be found
 * the way the engine's parser finds it: after the leading positional arguments, tokens (GET, LIMIT,
 * BYSCORE) each followed by the values they take, in any order; for a command whose options come
 * before its data (ZADD, GEOADD, XADD), only until the data starts.
 */
final class ArgumentShape {

    /** One argument spec, as the metadata writes it. */
    record Node(String name, String type, String token, boolean optional, boolean multiple, List<Node> children) {

        boolean simple() {
            return !type.equals("oneof") && !type.equals("block") && !type.equals("pure-token");
        }
    }

    /**
     * A token the command takes: its bytes (lower case), how many values follow it, its spec and the specs
     * around it (innermost first, for the table's dates), and whether it starts the command's data.
     */
    record Token(byte[] lower, String text, int values, Node node, List<Node> enclosing, boolean startsData) {
    }

    /** An optional argument without a token, told by the number of positional arguments (LPOP's count). */
    record Positional(Node node, int needed) {
    }

    private static final Map<String, ArgumentShape> SHAPES = load();

    final String key;
    /** Where the command's own arguments start in the command line: 1, or 2 for a subcommand. */
    final int offset;
    final List<Node> top;
    /** Leading required positional arguments (key, value, …): no token can stand there. */
    final int prefix;
    final List<Token> tokens;
    final List<Positional> positionals;
    /** Options (named by tokens) come before required data (ZADD's scores and members): the scan stops where the data starts. */
    final boolean dataAfterOptions;
    /** Arguments in one datum of a repeated data block (ZADD 2, GEOADD 3), 0 when the data is not one. */
    final int dataGroup;

    private ArgumentShape(String key, List<Node> top) {
        this.key = key;
        this.offset = key.contains("|") ? 2 : 1;
        this.top = top;
        int p = 0;
        while (p < top.size() && !top.get(p).optional() && top.get(p).token() == null && !top.get(p).multiple()
                && top.get(p).simple()) {
            p++;
        }
        this.prefix = p;
        int firstOptional = -1;
        int dataAt = -1;
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i).optional() && hasToken(top.get(i)) && firstOptional < 0) {
                firstOptional = i;
            } else if (!top.get(i).optional() && firstOptional >= 0 && dataAt < 0) {
                dataAt = i;
            }
        }
        this.dataAfterOptions = dataAt >= 0;
        Node data = dataAt >= 0 ? top.get(dataAt) : null;
        this.dataGroup = data != null && data.multiple() && data.type().equals("block") ? data.children().size() : 0;
        List<Token> found = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            collect(top.get(i), List.of(), dataAt >= 0 && i >= dataAt, found);
        }
        this.tokens = List.copyOf(found);
        List<Positional> pos = new ArrayList<>();
        int required = (int) top.stream().filter(n -> !n.optional()).count();
        for (Node n : top) {
            if (n.optional() && n.token() == null && n.simple()) {
                pos.add(new Positional(n, required + pos.size() + 1));
            }
        }
        this.positionals = List.copyOf(pos);
    }

    /** The shape of a command or subcommand ({@code client|kill}) the table dates arguments of, or null. */
    static ArgumentShape of(String key) {
        return SHAPES.get(key);
    }

    /** The token at argument {@code i}, or null. */
    Token tokenAt(dev.kvsim.resp.RespCommand cmd, int i) {
        for (Token t : tokens) {
            if (cmd.argIs(i, t.lower())) {
                return t;
            }
        }
        return null;
    }

    private static void collect(Node n, List<Node> enclosing, boolean data, List<Token> out) {
        if (n.token() != null && !n.token().equals("\"\"")) {
            out.add(new Token(n.token().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), n.token(),
                    plus(valuesOf(n), blockValuesAfter(n, enclosing)), n, enclosing, data));
        }
        List<Node> inner = new ArrayList<>(enclosing.size() + 1);
        inner.add(n);
        inner.addAll(enclosing);
        for (Node c : n.children()) {
            collect(c, List.copyOf(inner), data, out);
        }
    }

    /**
     * A token that opens a block (MAXLEN, itself or as one choice of the block's first argument, in XADD's trim) is
     * followed by the block's other required values (the threshold).
     */
    private static int blockValuesAfter(Node token, List<Node> enclosing) {
        int at = !enclosing.isEmpty() && enclosing.get(0).type().equals("oneof") && enclosing.get(0).token() == null ? 1 : 0;
        Node opened = at == 0 ? token : enclosing.get(0);
        if (enclosing.size() <= at || !enclosing.get(at).type().equals("block")
                || enclosing.get(at).children().get(0) != opened) {
            return 0;
        }
        int values = 0;
        List<Node> block = enclosing.get(at).children();
        for (int k = 1; k < block.size(); k++) {
            Node s = block.get(k);
            if (!s.optional() && s.token() == null) {
                values = plus(values, valuesOf(s));
            }
        }
        return values;
    }

    /** How many values follow a token for this spec (its own tokens, as every token, the scan finds itself). */
    private static int valuesOf(Node n) {
        switch (n.type()) {
            case "pure-token":
                return 0;
            case "oneof":
                return n.children().stream().allMatch(c -> c.token() != null) ? 0 : 1;
            case "block": {
                int v = 0;
                for (Node c : n.children()) {
                    if (!c.optional() && c.token() == null) {
                        v = plus(v, valuesOf(c));
                    }
                }
                return v;
            }
            default:
                return n.multiple() ? Integer.MAX_VALUE : 1;
        }
    }

    /** Whether the spec is an option a client names: it or an argument inside it has a token. */
    private static boolean hasToken(Node n) {
        return n.token() != null || n.children().stream().anyMatch(ArgumentShape::hasToken);
    }

    /** A count of values where {@link Integer#MAX_VALUE} stands for "all that follow". */
    private static int plus(int a, int b) {
        return a == Integer.MAX_VALUE || b == Integer.MAX_VALUE ? Integer.MAX_VALUE : a + b;
    }

    private static Map<String, ArgumentShape> load() {
        String resource = "engine-versions/arguments.json";
        try (InputStream in = ArgumentShape.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("kvsim is missing its resource " + resource);
            }
            JsonNode commands = new ObjectMapper().readTree(in).get("commands");
            Map<String, ArgumentShape> shapes = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = commands.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey().toLowerCase(Locale.ROOT).replace(' ', '|');
                shapes.put(key, new ArgumentShape(key, nodes(e.getValue().get("arguments"))));
            }
            return Map.copyOf(shapes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Node> nodes(JsonNode array) {
        List<Node> out = new ArrayList<>();
        if (array != null) {
            for (JsonNode a : array) {
                out.add(new Node(a.get("name").asText(), a.get("type").asText(),
                        a.hasNonNull("token") ? a.get("token").asText() : null, a.path("optional").asBoolean(false),
                        a.path("multiple").asBoolean(false), nodes(a.get("arguments"))));
            }
        }
        return List.copyOf(out);
    }
}
