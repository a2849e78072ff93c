/**
 * Fixtures for integration tests against a real broker: the {@link io.streamsgd.testkit.SharedBroker}
 * (one per test JVM), topic creation, and string producers and consumers. Test code only; depends
 * on {@code io.streamsgd.app} for the embedded broker.
 */
package io.streamsgd.testkit;
