package io.streamsgd.app;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where configuration values come from: a properties file, overridden key by key by environment
 * variables named by {@link ConfigKeys#envName}. Answers a value's text and its origin, for
 * messages.
 */
final class ConfigSource {
    /** A value and where it came from ({@code file x.properties} or {@code environment variable X}). */
    record Value(String text, String origin) {
    }

    private final Map<String, String> file;
    private final String fileName;
    private final Map<String, String> env;

    /**
     * @param file the properties as read (key to value)
     * @param fileName how to name the file in messages
     * @param env the environment (only {@code STREAMSGD_*} variables are read)
     */
    ConfigSource(Map<String, String> file, String fileName, Map<String, String> env) {
        this.file = new TreeMap<>(file);
        this.fileName = fileName;
        this.env = new TreeMap<>(env);
    }

    /** The value of {@code key}: its environment variable if set, else the file's entry. */
    Optional<Value> get(String key) {
        String envName = ConfigKeys.envName(key);
        String fromEnv = env.get(envName);
        if (fromEnv != null) {
            return Optional.of(new Value(fromEnv, "environment variable " + envName));
        }
        String fromFile = file.get(key);
        return fromFile == null ? Optional.empty() : Optional.of(new Value(fromFile, fileName));
    }

    /** The keys of the file, sorted. */
    Iterable<String> fileKeys() {
        return file.keySet();
    }

    /** The {@code STREAMSGD_*} environment variables, sorted by name. */
    Map<String, String> envOverrides() {
        Map<String, String> vars = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ConfigKeys.ENV_PREFIX)) {
                vars.put(k, v);
            }
        });
        return vars;
    }

    String fileName() {
        return fileName;
    }
}
