package dev.kvsim.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * When each command, subcommand and argument came to the engine: the table taken from Redis 7.0.15's own
 * command metadata ({@code engine-versions/command-since.tsv}), with the corrections found by running the
 * releases themselves ({@code since-corrections.tsv}). Read once; immutable.
 */
public final class CommandHistory {

    /** An argument the table dates: {@code key} its token (GET, LIMIT) or, for one without a token, its name (count). */
    public record ArgumentRow(String key, String since) {
    }

    private static final CommandHistory LOADED = load();

    /** Lower-case command ({@code get}) or subcommand ({@code client|info}) to the release that brought it. */
    private final Map<String, String> commands;
    /** Lower-case command or subcommand to its dated arguments, in the table's order. */
    private final Map<String, List<ArgumentRow>> arguments;

    private CommandHistory(Map<String, String> commands, Map<String, List<ArgumentRow>> arguments) {
        this.commands = commands;
        this.arguments = arguments;
    }

    public static CommandHistory get() {
        return LOADED;
    }

    /** Every dated command and subcommand ({@code client|info}), lower case, with its release. */
    public Map<String, String> commands() {
        return commands;
    }

    public List<ArgumentRow> arguments(String key) {
        return arguments.getOrDefault(key, List.of());
    }

    public Iterable<String> commandsWithArguments() {
        return arguments.keySet();
    }

    private static CommandHistory load() {
        Map<String, String> commands = new LinkedHashMap<>();
        Map<String, Map<String, String>> args = new LinkedHashMap<>();
        Consumer<String[]> row = r -> {
            String key = r[0].toLowerCase(Locale.ROOT).replace(' ', '|');
            if (r[1].equals("command")) {
                commands.put(key, r[3]);
            } else {
                args.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r[2], r[3]);
            }
        };
        rows("engine-versions/command-since.tsv", 4, row);
        rows("engine-versions/since-corrections.tsv", 4, row);
        Map<String, List<ArgumentRow>> arguments = new LinkedHashMap<>();
        args.forEach((k, v) -> {
            List<ArgumentRow> list = new ArrayList<>();
            v.forEach((token, since) -> list.add(new ArgumentRow(token, since)));
            arguments.put(k, List.copyOf(list));
        });
        return new CommandHistory(Map.copyOf(commands), Map.copyOf(arguments));
    }

    /** The tab-separated rows of a resource ({@code columns} each, the last one kept whole), comments skipped. */
    static void rows(String resource, int columns, Consumer<String[]> row) {
        try (InputStream in = CommandHistory.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("kvsim is missing its resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] r = line.split("\t", columns);
                if (r.length != columns) {
                    throw new IllegalStateException(resource + ": a row without " + columns + " columns: " + line);
                }
                row.accept(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
