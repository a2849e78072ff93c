package io.streamsgd.app;

/**
 * A configuration that cannot be used: the message names the key, where its value came from and
 * what is accepted, so that a failed start-up says what to fix.
 */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }

    /** {@code invalid value 'v' for key (origin): expected accepted}. */
    static ConfigException invalid(String key, String value, String origin, String accepted) {
        return new ConfigException("invalid value '" + value + "' for " + key + " (" + origin + "): expected "
                + accepted);
    }
}
