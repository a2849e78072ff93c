package io.streamsgd.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics when they are missing. Existing topics are left exactly as they
 * are (their partitions and settings are the operator's). Safe when several instances start at
 * once: a topic another instance created first counts as existing.
 */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private TopicSetup() {
    }

    /**
     * Creates whichever of {@code topics} do not exist.
     *
     * @param replication -1 for the broker's default
     * @return the topics created
     * @throws IllegalStateException if the cluster does not answer within {@code timeout} or refuses
     *     (e.g. not authorized, replication above the broker count), naming the topic and the cause
     */
    static List<String> ensure(Map<String, Object> adminConfig, List<String> topics, int partitions, short replication,
                               Duration timeout) throws InterruptedException {
        return ensure(adminConfig, topics, partitions, replication, Map.of(), timeout);
    }

    /** As {@link #ensure(Map, List, int, short, Duration)}, creating missing topics with {@code configs}. */
    static List<String> ensure(Map<String, Object> adminConfig, List<String> topics, int partitions, short replication,
                               Map<String, String> configs, Duration timeout) throws InterruptedException {
        String bootstrap = String.valueOf(adminConfig.get("bootstrap.servers"));
        long deadline = System.nanoTime() + timeout.toNanos();
        Admin admin = Admin.create(adminConfig);
        try {
            Set<String> existing = get(admin.listTopics().names(), deadline, "list the topics of " + bootstrap);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions),
                            replication == -1 ? Optional.empty() : Optional.of(replication)).configs(configs));
                }
            }
            List<String> created = new ArrayList<>();
            if (missing.isEmpty()) {
                return created;
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    get(results.get(topic.name()), deadline, "create topic " + topic.name() + " on " + bootstrap);
                    created.add(topic.name());
                    log.info("Created topic {} ({} partitions, replication {})", topic.name(), partitions,
                            replication == -1 ? "broker default" : replication);
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        } finally {
            // Not the default close, which waits for pending calls: an interrupted start must not hang.
            admin.close(CLOSE_TIMEOUT);
        }
    }

    private static <T> T get(KafkaFuture<T> future, long deadlineNanos, String what) throws InterruptedException {
        long remaining = Math.max(1, deadlineNanos - System.nanoTime());
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer within the start-up timeout;"
                    + " is bootstrap.servers right and the cluster reachable?", e);
        }
    }
}
