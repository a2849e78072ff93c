package io.streamsgd.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** How a command reaches Kafka: the bootstrap servers and, for secured clusters, extra client settings. */
public final class ClientOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Properties file of extra Kafka client settings, e.g. security.protocol, sasl.*, ssl.*.")
    Path clientConfig;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The settings of {@code --client-config}, empty without one.
     *
     * @throws IOException if the file cannot be read
     */
    public Map<String, Object> clientProperties() throws IOException {
        Map<String, Object> config = new HashMap<>();
        if (clientConfig != null) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k).strip()));
        }
        return config;
    }
}
