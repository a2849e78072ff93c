#!/usr/bin/env bash
# Runs JMH benchmarks from the test classpath (src/test/java/io/streamsgd/bench).
# Arguments go to org.openjdk.jmh.Main unchanged, e.g.
#   bench/jmh.sh LearnerBenchmark -wi 3 -w 2s -i 5 -r 2s -f 1
#   bench/jmh.sh LearnerBenchmark.learn -p mode=lazy -p bits=12,28 -prof stack
#   bench/jmh.sh -l          (list the benchmarks)
# Set SKIP_BUILD=1 to reuse target/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

cp_file=target/jmh.classpath
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -o test-compile
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi
if [[ ! -s "$cp_file" ]]; then
  echo "jmh.sh: $cp_file is missing; run without SKIP_BUILD=1 first" >&2
  exit 1
fi
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main "$@"
