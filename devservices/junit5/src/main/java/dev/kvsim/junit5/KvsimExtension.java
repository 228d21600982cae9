package dev.kvsim.junit5;

import dev.kvsim.client.CreateInstance;
import dev.kvsim.client.Endpoint;
import dev.kvsim.client.KvsimAdmin;
import dev.kvsim.client.KvsimServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link Kvsim} extension: starts (or reuses) the kvsim process, creates the declared instances, injects
 * them and the admin client, and leaves the cleaning to JUnit's stores, which close what they hold when their
 * scope ends, failed tests included.
 */
public final class KvsimExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KvsimExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : declaredInstances(context.getRequiredTestClass())) {
            if (Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, classInstance(context, field));
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Field field : declaredInstances(testInstance.getClass())) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(testInstance, classInstance(context, field));
            }
        }
        for (Field field : AnnotationSupport.findAnnotatedFields(testInstance.getClass(), KvsimAdminClient.class)) {
            field.setAccessible(true);
            field.set(testInstance, server(context).admin());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KvsimAdmin.class || type == KvsimServer.class
                || (type == Endpoint.class && parameter.isAnnotated(KvsimInstance.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == KvsimAdmin.class) {
            return server(context).admin();
        }
        if (type == KvsimServer.class) {
            return server(context);
        }
        KvsimInstance spec = parameter.findAnnotation(KvsimInstance.class).orElseThrow();
        // a parameter's instance lives as long as the context asking: the test method's, or the class's for @BeforeAll
        String key = "param:" + parameter.getDeclaringExecutable() + "#" + parameter.getIndex();
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> create(context, spec), CreatedInstance.class).endpoint();
    }

    private static List<Field> declaredInstances(Class<?> testClass) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, KvsimInstance.class, f -> true,
                HierarchyTraversalMode.TOP_DOWN);
        for (Field f : fields) {
            if (f.getType() != Endpoint.class) {
                throw new ExtensionConfigurationException("@KvsimInstance field " + f.getName() + " must be of type "
                        + Endpoint.class.getName() + ", not " + f.getType().getName());
            }
        }
        return fields;
    }

    /** The instance of a field: one per test class, kept in the class's store. */
    private static Endpoint classInstance(ExtensionContext context, Field field) {
        ExtensionContext classContext = classContext(context);
        KvsimInstance spec = field.getAnnotation(KvsimInstance.class);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("field:" + field,
                k -> create(classContext, spec), CreatedInstance.class).endpoint();
    }

    private static CreatedInstance create(ExtensionContext context, KvsimInstance spec) {
        CreateInstance request = CreateInstance.of(spec.instanceClass()).name(context.getDisplayName());
        if (!spec.password().isEmpty()) {
            request.password(spec.password());
        }
        if (spec.memoryMb() > 0) {
            request.memoryMb(spec.memoryMb());
        }
        if (spec.maxConnections() > 0) {
            request.maxConnections(spec.maxConnections());
        }
        if (spec.bandwidthMBps() > 0) {
            request.bandwidthMBps(spec.bandwidthMBps());
        }
        if (spec.shardCount() > 0) {
            request.shardCount(spec.shardCount());
        }
        KvsimServer server = server(context);
        String password = spec.password().isEmpty() ? null : spec.password();
        return new CreatedInstance(server, server.admin().createInstance(request).endpoint(password));
    }

    /** The kvsim process of this class: the run's shared one, or the class's own with {@link Kvsim.Scope#CLASS}. */
    static KvsimServer server(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        Kvsim settings = AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), Kvsim.class)
                .orElseThrow(() -> new ExtensionConfigurationException("the test class needs @Kvsim"));
        ExtensionContext owner = settings.scope() == Kvsim.Scope.CLASS ? classContext : context.getRoot();
        // classes asking for different settings get different processes; equal settings share one
        String key = "server:" + settings.haProfile() + ":" + settings.artifact();
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> new RunningServer(start(settings)),
                RunningServer.class).server();
    }

    private static KvsimServer start(Kvsim settings) {
        KvsimServer.Builder builder = KvsimServer.builder().haProfile(settings.haProfile());
        if (!settings.artifact().isEmpty()) {
            builder.artifact(Path.of(settings.artifact()));
        }
        return builder.start();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() || c.getTestClass().isEmpty()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }

    /** The kvsim process, stopped when its store closes. */
    record RunningServer(KvsimServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    /** A created instance, deleted when its store closes (unless kvsim is already gone). */
    record CreatedInstance(KvsimServer server, Endpoint endpoint) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (server.isAlive()) {
                server.admin().deleteInstance(endpoint.instanceId());
            }
        }
    }
}
