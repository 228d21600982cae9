package dev.kvsim.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.commands.KeySpecs;
import dev.kvsim.commands.VersionRules;
import dev.kvsim.resp.Resp;
import dev.kvsim.resp.RespCommand;
import dev.kvsim.resp.RespFrames;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The engine's replies that tell its version, as the instance's release gives them: {@code INFO}'s
 * {@code redis_version} and {@code HELLO}'s {@code version} (what client libraries read to choose
 * features), and {@code COMMAND} (with
 * {@code INFO}, {@code COUNT}, {@code LIST}, {@code DOCS}) listing only the release's commands, each entry
 * with the release's number of fields. Both kinds of session apply them to whole replies.
 */
public final class VersionReplies {

    private static final byte[] VERSION_FIELD = "redis_version:".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionReplies() {
    }

    /** How the reply to this command must be rewritten for the instance's version, or null when the engine's stands. */
    public static UnaryOperator<Buffer> of(RespCommand cmd, VersionRules version, KeySpecs engine) {
        if (!version.emulates()) {
            return null;
        }
        if (cmd.name().equals("info") || cmd.name().equals("iinfo")) {
            return reply -> info(reply, version);
        }
        if (cmd.name().equals("hello")) {
            return hello(version);
        }
        if (!cmd.name().equals("command")) {
            return null;
        }
        if (cmd.argc() == 1) {
            return reply -> listing(reply, version);
        }
        return switch (cmd.argLower(1)) {
            case "info" -> {
                List<String> names = new ArrayList<>();
                for (int i = 2; i < cmd.argc(); i++) {
                    names.add(cmd.argLower(i));
                }
                yield reply -> entries(reply, names, version);
            }
            case "count" -> reply -> RespFrames.isError(reply) ? reply : Resp.integer(version.commandCount(engine));
            case "list" -> cmd.argc() == 2 ? reply -> names(reply, version) : null;
            case "docs" -> reply -> docs(reply, version);
            default -> null;
        };
    }

    /** HELLO's map (or RESP2 array) with the release's number as {@code version}; null when the engine's stands. */
    public static UnaryOperator<Buffer> hello(VersionRules version) {
        if (!version.emulates()) {
            return null;
        }
        return reply -> {
            if (RespFrames.isError(reply)) {
                return reply;
            }
            List<Buffer> fields = new ArrayList<>(RespFrames.elements(reply));
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("version".equals(new String(RespFrames.bulk(fields.get(i)), StandardCharsets.UTF_8))) {
                    fields.set(i + 1, Resp.bulk(version.version().release()));
                }
            }
            return Resp.aggregate((char) RespFrames.type(reply), RespFrames.type(reply) == '%' ? fields.size() / 2
                    : fields.size(), fields);
        };
    }

    /** INFO with the release's number in {@code redis_version}. */
    public static Buffer info(Buffer reply, VersionRules version) {
        if (RespFrames.isError(reply) || RespFrames.isNull(reply)) {
            return reply;
        }
        String text = new String(RespFrames.bulk(reply), StandardCharsets.UTF_8);
        int at = text.indexOf(new String(VERSION_FIELD, StandardCharsets.US_ASCII));
        if (at < 0) {
            return reply;
        }
        int from = at + VERSION_FIELD.length;
        int end = text.indexOf('\r', from);
        String rewritten = text.substring(0, from) + version.version().release() + (end < 0 ? "" : text.substring(end));
        return Resp.verbatim(rewritten, RespFrames.type(reply) == '=');
    }

    /** COMMAND: the release's commands only, with its fields, and the entries it lists that the engine does not. */
    static Buffer listing(Buffer reply, VersionRules version) {
        if (RespFrames.isError(reply)) {
            return reply;
        }
        List<Buffer> kept = new ArrayList<>();
        byte flagsType = '*';
        for (Buffer entry : RespFrames.elements(reply)) {
            List<Buffer> fields = RespFrames.elements(entry);
            flagsType = RespFrames.type(fields.get(2));
            if (version.lists(name(fields))) {
                kept.add(truncated(fields, version));
            }
        }
        for (String extra : version.extraEntries()) {
            kept.add(entry(extra, flagsType));
        }
        return Resp.array(kept);
    }

    /** COMMAND INFO: null for a command the release does not list, in the reply's protocol. */
    static Buffer entries(Buffer reply, List<String> names, VersionRules version) {
        if (RespFrames.isError(reply)) {
            return reply;
        }
        List<Buffer> entries = RespFrames.elements(reply);
        boolean resp3 = entries.stream().anyMatch(e -> RespFrames.type(e) == '_'
                || (!RespFrames.isNull(e) && RespFrames.type(RespFrames.elements(e).get(2)) == '~'));
        List<Buffer> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = i < names.size() ? names.get(i) : "";
            String extra = version.extraEntries().stream().filter(e -> name.equals(entryName(e))).findFirst().orElse(null);
            if (extra != null) {
                out.add(entry(extra, resp3 ? (byte) '~' : (byte) '*'));
            } else if (RespFrames.isNull(entries.get(i)) || !version.lists(name)) {
                out.add(resp3 ? Resp.NULL : Buffer.buffer("*-1\r\n"));
            } else {
                out.add(truncated(RespFrames.elements(entries.get(i)), version));
            }
        }
        return Resp.array(out);
    }

    /** COMMAND LIST: the names of the release's commands. */
    static Buffer names(Buffer reply, VersionRules version) {
        if (RespFrames.isError(reply)) {
            return reply;
        }
        List<Buffer> kept = new ArrayList<>();
        for (Buffer name : RespFrames.elements(reply)) {
            if (version.lists(new String(RespFrames.bulk(name), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
                kept.add(name);
            }
        }
        return Resp.array(kept);
    }

    /** COMMAND DOCS: the docs of the release's commands (a map, or RESP2's flat array of names and docs). */
    static Buffer docs(Buffer reply, VersionRules version) {
        if (RespFrames.isError(reply)) {
            return reply;
        }
        boolean map = RespFrames.type(reply) == '%';
        List<Buffer> pairs = RespFrames.elements(reply);
        List<Buffer> kept = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            if (version.lists(new String(RespFrames.bulk(pairs.get(i)), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
                kept.add(pairs.get(i));
                kept.add(pairs.get(i + 1));
            }
        }
        return map ? Resp.aggregate('%', kept.size() / 2, kept) : Resp.array(kept);
    }

    private static String name(List<Buffer> fields) {
        return new String(RespFrames.bulk(fields.get(0)), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    private static Buffer truncated(List<Buffer> fields, VersionRules version) {
        return Resp.array(fields.subList(0, Math.min(fields.size(), version.entryFields())));
    }

    private static String entryName(String json) {
        return read(json).get(0).asText();
    }

    /** An entry the release lists as the listing records it (RESP2's shape), its flags in {@code flagsType}. */
    private static Buffer entry(String json, byte flagsType) {
        JsonNode e = read(json);
        List<Buffer> fields = new ArrayList<>();
        fields.add(Resp.bulk(e.get(0).asText()));
        fields.add(Resp.integer(e.get(1).asLong()));
        fields.add(statuses(e.get(2), (char) flagsType));
        for (int i = 3; i < 6; i++) {
            fields.add(Resp.integer(e.get(i).asLong()));
        }
        if (e.size() > 6) {
            fields.add(statuses(e.get(6), flagsType == '~' ? '~' : '*'));
        }
        return Resp.array(fields);
    }

    private static Buffer statuses(JsonNode list, char type) {
        List<Buffer> items = new ArrayList<>();
        list.forEach(f -> items.add(Resp.simple(f.asText())));
        return Resp.aggregate(type, items.size(), items);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
