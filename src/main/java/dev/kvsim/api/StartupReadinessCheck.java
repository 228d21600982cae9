package dev.kvsim.api;

import dev.kvsim.lifecycle.StartupGate;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while kvsim restores its stored instances: scripts that wait for /q/health/ready
 * then call the API would otherwise meet the 503 of {@link StartupGateFilter}.
 */
@Readiness
@ApplicationScoped
public class StartupReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kvsim instances restored").status(!StartupGate.isStarting()).build();
    }
}
