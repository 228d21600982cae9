package dev.kvsim;

import dev.kvsim.instance.KvsimStartup;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/** kvsim's entry point: start the instances, then serve until stopped. */
@QuarkusMain
public class KvsimMain implements QuarkusApplication {

    @Inject
    KvsimStartup startup;

    @Override
    public int run(String... args) {
        try {
            startup.start();
        } catch (KvsimStartup.StartupFailure e) {
            System.err.println("kvsim: " + e.getMessage());
            return 1;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
