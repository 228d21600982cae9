package dev.kvsim.commands;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The engine major versions the service offers (CreateInstance's EngineVersion), each standing for the
 * last patch release of its line: what an instance of that version behaves as, and what its
 * {@code INFO server} reports.
 */
public enum MajorVersion {

    V4_0("4.0", "4.0.14"),
    V5_0("5.0", "5.0.14"),
    V6_0("6.0", "6.0.20"),
    V7_0("7.0", "7.0.15");

    private final String label;
    private final String release;

    MajorVersion(String label, String release) {
        this.label = label;
        this.release = release;
    }

    /** The service's name: "5.0". */
    public String label() {
        return label;
    }

    /** The release an instance of this version behaves as: "5.0.14". */
    public String release() {
        return release;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(MajorVersion::label).toList();
    }

    public static Optional<MajorVersion> of(String label) {
        return Arrays.stream(values()).filter(v -> v.label.equals(label)).findFirst();
    }

    /** An instance's version: the one it was created with ({@code stored}), or the engine's own when it has none. */
    public static MajorVersion ofInstance(String stored, String engineVersion) {
        return stored == null ? newestOn(engineVersion) : of(stored).orElseGet(() -> newestOn(engineVersion));
    }

    /** Whether an engine of this version can serve an instance of this major version (its line is not newer). */
    public boolean runsOn(String engineVersion) {
        int[] e = parse(engineVersion);
        int[] own = parse(release);
        return own[0] < e[0] || (own[0] == e[0] && own[1] <= e[1]);
    }

    /** Whether the engine is newer than this version's release, so that the proxy must hold back what came later. */
    public boolean olderThan(String engineVersion) {
        return compare(release, engineVersion) < 0;
    }

    /** The newest version an engine of this version serves: 7.0 for 7.0.15 or 7.2.4, 6.0 for 6.2.14; 4.0 for anything older. */
    public static MajorVersion newestOn(String engineVersion) {
        MajorVersion best = V4_0;
        for (MajorVersion v : values()) {
            if (v.runsOn(engineVersion)) {
                best = v;
            }
        }
        return best;
    }

    /** Compares dotted release numbers ("6.0.6" before "6.0.20"); a missing or unreadable part counts as 0. */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] parse(String version) {
        int[] parts = new int[3];
        String[] s = version == null ? new String[0] : version.split("\\.");
        for (int i = 0; i < 3 && i < s.length; i++) {
            try {
                parts[i] = Integer.parseInt(s[i]);
            } catch (NumberFormatException e) {
                parts[i] = 0;
            }
        }
        return parts;
    }
}
