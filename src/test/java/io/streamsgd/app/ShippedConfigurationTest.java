package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The configurations the repository ships (docker-compose, Kubernetes) are valid for the service:
 * a key renamed or a value out of range would otherwise surface only when a container starts.
 */
class ShippedConfigurationTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    @Test
    void composeConfigurationShouldLoad() {
        ServiceConfig config = ServiceConfig.load(ROOT.resolve("deploy/compose/streamsgd.properties"), Map.of());
        assertThat(config.topology().models()).containsOnlyKeys("l1", "l2");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void kubernetesConfigMapShouldLoad() throws IOException {
        String text = null;
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(ROOT.resolve("deploy/kubernetes/configmap.yaml").toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc.path("metadata").path("name").asText().equals("streamsgd-config")) {
                    text = doc.path("data").path("streamsgd.properties").asText();
                }
            }
        }
        assertThat(text).as("ConfigMap streamsgd-config holds streamsgd.properties").isNotBlank();
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        ServiceConfig config = ServiceConfig.of(properties, "configmap streamsgd-config", Map.of());
        assertThat(config.metricsHost()).isEqualTo("0.0.0.0");
        assertThat(config.warnings()).isEmpty();
    }
}
