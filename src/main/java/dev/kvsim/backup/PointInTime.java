package dev.kvsim.backup;

import dev.kvsim.engine.AofFiles;
import dev.kvsim.engine.AofRecords;
import dev.kvsim.engine.AofTruncator;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A shard's data at a second, from its archived log: the newest base written no later than that second, the
 * incremental files after it, and the engine's own cut ({@code redis-check-aof --truncate-to-timestamp}) after the
 * last command of that second. The engine cuts only the last file of a manifest, so the files taken end with the
 * one where the cut falls.
 */
@ApplicationScoped
public class PointInTime {

    private static final Pattern INCR = Pattern.compile(".*\\.(\\d+)\\.incr\\.aof");

    private final AofTruncator truncator;

    public PointInTime(AofTruncator truncator) {
        this.truncator = truncator;
    }

    /** The sequence number of an incremental AOF file ({@code appendonly.aof.5.incr.aof}), or -1 for another file. */
    static long incrSeq(String fileName) {
        Matcher m = INCR.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Writes a node directory ({@code <out>/appendonlydir}) holding the shard as it was at the end of
     * {@code epochSecond}.
     *
     * @param archive the chain's archive: its base files and incremental files
     * @param base    the generation to start from: written no later than {@code epochSecond}
     */
    void build(Path archive, BackupLogStore.Generation base, long epochSecond, Path out) throws IOException {
        Path dir = out.resolve(AofFiles.DIR);
        BackupFiles.delete(out);
        Files.createDirectories(dir);
        List<AofFiles.Entry> entries = new ArrayList<>();
        entries.add(new AofFiles.Entry(base.baseFile(), baseSeq(base.baseFile()), AofFiles.BASE));
        AofFiles.linkOrCopy(archive.resolve(base.baseFile()), dir.resolve(base.baseFile()));
        for (Path incr : incrementals(archive, base.firstIncrSeq())) {
            long size = Files.size(incr);
            AofRecords.Scan scan = AofRecords.scan(incr, 0, size);
            if (scan.firstIsStamp() && scan.firstStamp() > epochSecond) {
                break;  // everything in it is later
            }
            // the engine appends to the last file of the manifest: every file is a copy, never the archive's own
            Files.copy(incr, dir.resolve(incr.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            entries.add(new AofFiles.Entry(incr.getFileName().toString(), incrSeq(incr.getFileName().toString()),
                    AofFiles.INCR));
            if (scan.lastStamp() > epochSecond) {
                break;  // the cut falls in this file
            }
        }
        AofFiles.writeManifest(dir, new AofFiles.Manifest(entries));
        truncator.truncate(dir.resolve(AofFiles.MANIFEST), epochSecond);
    }

    /** The archive's incremental files from {@code firstSeq} on, in order. */
    static List<Path> incrementals(Path archive, long firstSeq) throws IOException {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(archive)) {
            return files.filter(p -> incrSeq(p.getFileName().toString()) >= firstSeq)
                    .sorted(Comparator.comparingLong(p -> incrSeq(p.getFileName().toString()))).toList();
        }
    }

    private static long baseSeq(String baseFile) {
        Matcher m = Pattern.compile(".*\\.(\\d+)\\.base\\.(rdb|aof)").matcher(baseFile);
        return m.matches() ? Long.parseLong(m.group(1)) : 1;
    }
}
