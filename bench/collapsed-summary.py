#!/usr/bin/env python3
"""Where a Kafka Streams app's stream thread spends its CPU, from an async-profiler collapsed file.

Usage: bench/collapsed-summary.py FILE.collapsed EVENTS
(FILE from E2E_APP_JVM_OPTIONS with async-profiler's `threads,collapsed` output, see bench/E2E.md;
EVENTS: the events the run processed, from its results line). Each stream-thread sample goes to the
first category, in the order below, whose marker is on its stack; samples are CPU milliseconds at
interval=1ms, so the last column is microseconds of stream-thread CPU per event. The samples cover
the app's whole life (start-up and restore too), so the figures are slightly above the run's.
"""
import collections
import sys

CATEGORIES = [
    ("store flush at commit: collect changes", ["drainChanges"]),
    ("store flush at commit: checkpoint pages and names", ["ModelStorage.stageStep", "ModelStorage.checkpoint"]),
    ("store flush at commit: deltas", ["ModelStorage.flush"]),
    ("commit (transaction, offsets)", ["TaskManager.commit"]),
    ("event JSON parse", ["JsonEventReader.read"]),
    ("learner", ["OnlineLearner"]),
    ("prediction JSON", ["PredictionJson"]),
    ("output send", ["RecordCollectorImpl.send"]),
    ("consume (poll, deserialize)", ["pollPhase", "RecordQueue", "RecordDeserializer"]),
    ("processors, other", ["TaskExecutor.process", "StreamTask.process"]),
]


def main(path, events):
    total = 0
    shares = collections.Counter()
    for line in open(path):
        stack, count = line.rsplit(" ", 1)
        frames = stack.split(";")
        if "StreamThread" not in frames[0] or "producer" in frames[0]:
            continue
        count = int(count)
        total += count
        for name, markers in CATEGORIES:
            if any(m in f for f in frames for m in markers):
                shares[name] += count
                break
        else:
            shares["the rest (start-up, restore, idle loop)"] += count
    print(f"| where the stream thread's CPU goes | share | µs/event |")
    print(f"|---|---:|---:|")
    for name, _ in CATEGORIES + [("the rest (start-up, restore, idle loop)", None)]:
        if shares[name]:
            print(f"| {name} | {100 * shares[name] / total:.1f}% | {1000 * shares[name] / events:.2f} |")
    print(f"| **all** | 100% | **{1000 * total / events:.2f}** |")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2].replace(",", "")))
