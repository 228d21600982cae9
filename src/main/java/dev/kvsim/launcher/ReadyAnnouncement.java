package dev.kvsim.launcher;

import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Tells the world kvsim is ready: the ready file for a launcher, then the one log line for a person. */
@ApplicationScoped
public class ReadyAnnouncement {

    private final HttpServer http;
    private final ReadyFile readyFile;

    public ReadyAnnouncement(HttpServer http, ReadyFile readyFile) {
        this.http = http;
        this.readyFile = readyFile;
    }

    /** @throws java.io.UncheckedIOException when the ready file cannot be written */
    public void announce(Optional<StoredInstance> defaultInstance) {
        // the bound port, not the configured one (0: any free port)
        String adminUrl = "http://127.0.0.1:" + http.getPort();
        String line = "kvsim ready: admin API " + adminUrl;
        ReadyFile.DefaultInstance ready = null;
        if (defaultInstance.isPresent()) {
            StoredInstance d = defaultInstance.get();
            line += ", default instance " + d.instanceId() + " (" + d.instanceClass() + ") redis://127.0.0.1:" + d.port();
            ready = new ReadyFile.DefaultInstance(d.instanceId(), "127.0.0.1", d.port());
        }
        readyFile.write(adminUrl, ready);  // first: whoever sees the line finds the file too
        Log.info(line);
    }
}
