package dev.kvsim.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a release's COMMAND list is not just the commands of the version table: commands it has but does not
 * list (QUIT before 7.0) and entries it lists that the engine kvsim runs does not (HOST: and POST before 7.0),
 * as {@code engine-versions/listing.tsv} records them from the releases.
 */
final class CommandListing {

    /** "5.0|quit" to the release's entry (JSON), or "-" when it does not list the command. */
    private static final Map<String, String> ROWS = load();

    private CommandListing() {
    }

    static boolean listed(MajorVersion v, String command) {
        return !"-".equals(ROWS.get(v.label() + "|" + command));
    }

    static List<String> extraEntries(MajorVersion v) {
        List<String> entries = new ArrayList<>();
        ROWS.forEach((key, entry) -> {
            if (key.startsWith(v.label() + "|") && !entry.equals("-")) {
                entries.add(entry);
            }
        });
        return entries;
    }

    private static Map<String, String> load() {
        Map<String, String> rows = new HashMap<>();
        CommandHistory.rows("engine-versions/listing.tsv", 3, r -> {
            for (String major : r[0].split(",")) {
                rows.put(major + "|" + r[1], r[2]);
            }
        });
        return Map.copyOf(rows);
    }
}
