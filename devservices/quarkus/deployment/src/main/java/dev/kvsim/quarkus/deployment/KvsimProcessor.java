package dev.kvsim.quarkus.deployment;

import dev.kvsim.quarkus.runtime.KvsimProducers;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;

class KvsimProcessor {

    static final String FEATURE = "kvsim";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** {@code @Inject KvsimAdmin} and {@code @Inject Endpoint}; removed when nothing injects them. */
    @BuildStep
    AdditionalBeanBuildItem producers() {
        return AdditionalBeanBuildItem.builder().addBeanClass(KvsimProducers.class).setRemovable().build();
    }
}
