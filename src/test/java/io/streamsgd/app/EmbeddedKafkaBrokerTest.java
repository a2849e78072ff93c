package io.streamsgd.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What can be checked without starting a broker; the rest is in {@link EmbeddedKafkaBrokerIT}. */
class EmbeddedKafkaBrokerTest {

    @Test
    void shouldFixAFreePortAtBuildTime() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(broker.isRunning()).isFalse();
        }
    }

    @Test
    void shouldKeepTheRequestedPortAndDirectory(@TempDir Path dir) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(19092).logDir(dir).build()) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:19092");
            assertThat(broker.logDir()).isEqualTo(dir.toAbsolutePath());
        }
        assertThat(dir).as("a given directory is not deleted").exists();
    }

    @Test
    void shouldDeleteItsOwnTemporaryDirectoryOnCloseAndRefuseToStartAgain() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
        Path dir = broker.logDir();
        assertThat(dir).isDirectory();

        broker.close();
        broker.close(); // idempotent

        assertThat(dir).doesNotExist();
        assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldRejectSettingsItOwnsAndInvalidValues() {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
        assertThatThrownBy(() -> builder.brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listeners");
        assertThatThrownBy(() -> builder.port(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.startupTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        builder.brokerProperty("num.partitions", "3"); // anything else is passed through
    }
}
