#!/usr/bin/env python3
"""Summarizes the execution samples of a JFR recording: top frames (self) and frames anywhere
on the stack (total), with line numbers. Usage: bench/jfr-top.py FILE.jfr [N]"""
import collections, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                     capture_output=True, text=True, check=True).stdout
self_counts, self_lines, total = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
stack = None
for line in out.splitlines():
    s = line.strip()
    if s.startswith("stackTrace = ["):
        stack = []
    elif stack is not None and s.startswith("]"):
        if stack:
            samples += 1
            top = stack[0]
            self_counts[top.split("  line:")[0]] += 1
            self_lines[top] += 1
            for m in set(f.split("  line:")[0] for f in stack):
                total[m] += 1
        stack = None
    elif stack is not None and s and s != "...":
        stack.append(s)
print(f"{samples} samples")
print("\n== self (method) ==")
for m, c in self_counts.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {m}")
print("\n== self (line) ==")
for m, c in self_lines.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {m}")
print("\n== total ==")
for m, c in total.most_common(n):
    print(f"{100.0 * c / samples:5.1f}%  {m}")
