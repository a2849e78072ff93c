package io.streamsgd.app;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamThreadFailureHandlerTest {
    private final AtomicLong now = new AtomicLong();
    private final StreamThreadFailureHandler handler =
            new StreamThreadFailureHandler(2, Duration.ofMinutes(10), now::get);

    @Test
    void shouldReplaceUpToTheLimitWithinTheWindowThenShutDown() {
        assertThat(handler.handle(new IllegalStateException("1"))).isEqualTo(REPLACE_THREAD);
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(handler.handle(new IllegalStateException("2"))).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(new IllegalStateException("3"))).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOlderThanTheWindowShouldNotCount() {
        assertThat(handler.handle(new IllegalStateException("1"))).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(new IllegalStateException("2"))).isEqualTo(REPLACE_THREAD);
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(handler.handle(new IllegalStateException("3"))).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void aJvmErrorShouldShutDownAtOnce() {
        assertThat(handler.handle(new OutOfMemoryError("test"))).isEqualTo(SHUTDOWN_CLIENT);
    }
}
