package io.streamsgd.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What must run just before a task commits, by task: the trainer registers the writing of its
 * models' pending deltas, and the task's {@link PreCommitStore} runs it when Kafka Streams
 * flushes the task's stores, which it does before it commits the task's transaction (or its
 * offsets, at least once). One instance is shared by a topology's trainer and its store builder.
 */
final class CommitHooks {
    private final Map<TaskId, Runnable> hooks = new ConcurrentHashMap<>();

    void register(TaskId task, Runnable hook) {
        hooks.put(task, hook);
    }

    void unregister(TaskId task, Runnable hook) {
        hooks.remove(task, hook);
    }

    void run(TaskId task) {
        Runnable hook = task == null ? null : hooks.get(task);
        if (hook != null) {
            hook.run();
        }
    }
}
