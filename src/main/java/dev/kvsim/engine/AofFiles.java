package dev.kvsim.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's persisted data as the engine lays it out: with the multi-part AOF of 7.0 ({@code appendonlydir/} with a
 * manifest listing a base file, history files and incremental files), with the single {@code appendonly.aof} of
 * older engines, or as {@code dump.rdb} for a node without AOF.
 */
public final class AofFiles {

    public static final String DIR = "appendonlydir";
    public static final String MANIFEST = "appendonly.aof.manifest";
    /** The single AOF file of engines before 7.0. */
    public static final String SINGLE = "appendonly.aof";
    public static final String DUMP = "dump.rdb";

    public static final char BASE = 'b';
    public static final char HISTORY = 'h';
    public static final char INCR = 'i';

    private AofFiles() {
    }

    /** One line of the manifest: {@code file <name> seq <n> type <b|h|i>}. */
    public record Entry(String file, long seq, char type) {

        String format() {
            return "file " + file + " seq " + seq + " type " + type + "\n";
        }
    }

    /** The manifest's entries in its order: the base, then history files, then incremental files. */
    public record Manifest(List<Entry> entries) {

        public Entry base() {
            return entries.stream().filter(e -> e.type() == BASE).findFirst().orElse(null);
        }

        /** The incremental files, oldest first. */
        public List<Entry> incrs() {
            return entries.stream().filter(e -> e.type() == INCR).toList();
        }

        public List<Entry> history() {
            return entries.stream().filter(e -> e.type() == HISTORY).toList();
        }

        public String format() {
            StringBuilder b = new StringBuilder();
            entries.forEach(e -> b.append(e.format()));
            return b.toString();
        }
    }

    /** The manifest of a node directory's multi-part AOF, or null when it has none. */
    public static Manifest readManifest(Path nodeDir) throws IOException {
        Path file = nodeDir.resolve(DIR).resolve(MANIFEST);
        if (!Files.exists(file)) {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split(" ");
            if (line.startsWith("#") || f.length < 6 || !f[0].equals("file")) {
                continue;
            }
            entries.add(new Entry(f[1], Long.parseLong(f[3]), f[5].charAt(0)));
        }
        return new Manifest(List.copyOf(entries));
    }

    public static void writeManifest(Path aofDir, Manifest manifest) throws IOException {
        Files.createDirectories(aofDir);
        Path tmp = aofDir.resolve(MANIFEST + ".tmp");
        Files.writeString(tmp, manifest.format(), StandardCharsets.UTF_8);
        Files.move(tmp, aofDir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Lays an RDB file into an empty node directory as the data the node loads at its next start: the base of a
     * multi-part AOF (a hard link where the file system allows: the engine never changes a base file), the whole
     * of an old-style AOF (an RDB preamble with no commands after it), or {@code dump.rdb} for a node without AOF.
     */
    public static void layRdb(Path nodeDir, Path rdb, boolean appendOnly, boolean multiPart) throws IOException {
        Files.createDirectories(nodeDir);
        if (!appendOnly) {
            Files.copy(rdb, nodeDir.resolve(DUMP), StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (!multiPart) {
            Files.copy(rdb, nodeDir.resolve(SINGLE), StandardCopyOption.REPLACE_EXISTING);  // the engine appends to it
            return;
        }
        Path dir = nodeDir.resolve(DIR);
        Files.createDirectories(dir);
        Entry base = new Entry(SINGLE + ".1.base.rdb", 1, BASE);
        Entry incr = new Entry(SINGLE + ".1.incr.aof", 1, INCR);
        linkOrCopy(rdb, dir.resolve(base.file()));
        Files.write(dir.resolve(incr.file()), new byte[0]);
        writeManifest(dir, new Manifest(List.of(base, incr)));
    }

    /** A hard link to {@code source}, or a copy on a file system without them (or across file systems). */
    public static void linkOrCopy(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
