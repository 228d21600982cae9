package dev.kvsim.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kvsim.ready-file}: tells a launcher that started kvsim as a child process when kvsim is
 * ready and where it listens (actual ports, also when configured as 0), without parsing the log.
 */
@ApplicationScoped
public class ReadyFile {

    /** The default instance as the ready file shows it. */
    public record DefaultInstance(String instanceId, String host, int port) {
    }

    private final Optional<Path> file;
    private final ObjectMapper json;

    public ReadyFile(@ConfigProperty(name = "kvsim.ready-file") Optional<Path> file, ObjectMapper json) {
        this.file = file.map(p -> p.toAbsolutePath().normalize());
        this.json = json;
    }

    /** Written beside the target, then moved over it: a launcher polling for the file never reads half of it. */
    public void write(String adminUrl, DefaultInstance defaultInstance) {
        if (file.isEmpty()) {
            return;
        }
        Path target = file.get();
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("pid", ProcessHandle.current().pid());
        content.put("adminUrl", adminUrl);
        content.put("defaultInstance", defaultInstance);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            json.writeValue(tmp.toFile(), content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kvsim.ready-file " + target + ": " + e.getMessage(), e);
        }
    }

    /** A ready file that outlived its kvsim would tell the launcher a stopped kvsim is ready. */
    void delete(@Observes ShutdownEvent event) {
        file.ifPresent(f -> {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // nothing more to do while stopping; the next start replaces it
            }
        });
    }
}
