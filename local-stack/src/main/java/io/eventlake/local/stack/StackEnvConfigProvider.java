package io.eventlake.local.stack;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * Resolves {@code ${env:NAME}} in connector configs on the embedded worker. A worker in a process of its own (the
 * Docker stack, {@code connect-distributed.sh}) resolves these with Kafka's {@link EnvVarConfigProvider} from its
 * environment. The embedded worker shares the JVM of the launcher or test, whose environment cannot be changed once
 * it runs, so the stack registers this provider under the same alias: Kafka's own provider (allow-list included)
 * over the process environment plus the variables the stack passes as {@code variable.<NAME>} parameters, which
 * win. The same connector JSON thus reaches the S3 server and credentials of whichever stack it is PUT to.
 */
public final class StackEnvConfigProvider implements ConfigProvider {

    /** Prefix of the parameters that define a variable of the worker's environment. */
    public static final String VARIABLE_PREFIX = "variable.";

    private EnvVarConfigProvider delegate;

    @Override
    public void configure(Map<String, ?> configs) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        Map<String, Object> providerConfigs = new HashMap<>();
        configs.forEach((key, value) -> {
            if (key.startsWith(VARIABLE_PREFIX)) {
                environment.put(key.substring(VARIABLE_PREFIX.length()), String.valueOf(value));
            } else {
                providerConfigs.put(key, value);
            }
        });
        delegate = new EnvVarConfigProvider(environment);
        delegate.configure(providerConfigs);
    }

    @Override
    public ConfigData get(String path) {
        return delegate.get(path);
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        return delegate.get(path, keys);
    }

    @Override
    public void close() throws IOException {
        if (delegate != null) {
            delegate.close();
        }
    }
}
