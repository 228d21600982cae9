package dev.kvsim.quarkus.deployment;

import java.util.Map;
import java.util.function.Function;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.kvsim.quarkus.runtime.KvsimConfigKeys;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.BuildSteps;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Dev Services for kvsim, with Quarkus's "owned" dev services API ({@link DevServicesResultBuildItem#owned()}), as
 * Quarkus's own Redis dev service does in 3.34. The build step only describes the service; Quarkus's dev services
 * registry starts it before the application starts, hands its config to the application through the dev services
 * config source, keeps it running across live reloads and test classes while {@link KvsimDevService.Settings#identity()}
 * stays the same (a change restarts it), and closes it when the curated application shuts down (the end of the test
 * run or of dev mode).
 * <p>
 * It runs only in dev and test mode (never in a prod build), only when the global {@code quarkus.devservices.enabled}
 * and {@code quarkus.kvsim.devservices.enabled} are not false, only when the application uses quarkus-redis-client
 * (its {@code io.quarkus.redis} capability), and only when {@code quarkus.redis.hosts} is not set.
 */
@BuildSteps(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
class KvsimDevServicesProcessor {

    private static final Logger log = Logger.getLogger(KvsimDevServicesProcessor.class);

    static final String REDIS_HOSTS = "quarkus.redis.hosts";
    static final String REDIS_CLIENT_TYPE = "quarkus.redis.client-type";
    static final String REDIS_PROTOCOL = "quarkus.redis.preferred-protocol-version";

    @BuildStep
    void startKvsim(Capabilities capabilities, KvsimBuildTimeConfig config,
            BuildProducer<DevServicesResultBuildItem> devServices) {
        KvsimDevServicesConfig devServicesConfig = config.devservices();
        if (!devServicesConfig.enabled()) {
            log.debug("Not starting kvsim: quarkus.kvsim.devservices.enabled is false");
            return;
        }
        if (!capabilities.isPresent(Capability.REDIS_CLIENT)) {
            log.debug("Not starting kvsim: the application does not use quarkus-redis-client");
            return;
        }
        // like Quarkus's own Redis dev service: a configured Redis wins
        if (ConfigUtils.isPropertyNonEmpty(REDIS_HOSTS)) {
            log.debugf("Not starting kvsim: %s is set", REDIS_HOSTS);
            return;
        }

        KvsimDevService.Settings settings = KvsimDevService.Settings.of(devServicesConfig);
        boolean resp2 = ConfigProvider.getConfig().getOptionalValue(REDIS_PROTOCOL, String.class)
                .map(v -> v.trim().equalsIgnoreCase("resp2")).orElse(false);
        devServices.produce(DevServicesResultBuildItem.<KvsimDevService> owned()
                .feature(KvsimProcessor.FEATURE)
                .description("kvsim (emulated ApsaraDB for Redis), instance class " + settings.instanceClass())
                .serviceConfig(settings.identity())
                .startable(() -> new KvsimDevService(settings))
                .configProvider(Map.<String, Function<KvsimDevService, String>> of(
                        REDIS_HOSTS, KvsimDevService::redisUri,
                        // kvsim serves a cluster instance through one proxy endpoint that speaks standalone RESP
                        REDIS_CLIENT_TYPE, s -> "standalone",
                        KvsimConfigKeys.ADMIN_URL, s -> s.server().adminUri().toString(),
                        KvsimConfigKeys.ADMIN_TOKEN, s -> s.server().apiToken().orElse(""),
                        KvsimConfigKeys.INSTANCE_ID, s -> s.instance().instanceId(),
                        KvsimConfigKeys.INSTANCE_HOST, s -> s.instance().host(),
                        KvsimConfigKeys.INSTANCE_PORT, s -> String.valueOf(s.instance().port()),
                        KvsimConfigKeys.INSTANCE_PASSWORD, KvsimDevService::password))
                .postStartHook(s -> {
                    log.infof("kvsim dev service ready: instance %s (%s, %s) on %s:%d, admin API %s, kvsim pid %d, log %s",
                            s.instance().instanceId(), s.instance().instanceClass(), settings.profile(),
                            s.instance().host(), s.instance().port(), s.server().adminUri(), s.server().pid(),
                            s.server().logFile());
                    if (!resp2 && !s.speaksResp3()) {
                        // not set for the application: a production proxy of that minor version refuses RESP3 too
                        log.warnf("kvsim's instance %s is a cluster instance whose proxy speaks RESP2 only"
                                + " (proxy_resp3_enable is 0, as on the service's proxies before RESP3): it answers"
                                + " HELLO 3 with NOPROTO. The Quarkus Redis client asks for RESP3 unless %s=resp2 is set"
                                + " (in every profile: a production instance on such a proxy needs it as well).",
                                s.instance().instanceId(), REDIS_PROTOCOL);
                    }
                })
                .build());
    }
}
