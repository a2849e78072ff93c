#!/usr/bin/env bash
# Prints the L1, L2 and learning-rate sweeps of BENCHMARKS.md (single pass, progressive
# validation, default settings otherwise) on ../shared/data. Arguments: any of l1 l2 rate.
# Set SKIP_BUILD=1 to reuse target/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=target/jmh.classpath
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -o test-compile
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi
exec java -cp "target/test-classes:target/classes:$(cat "$cp_file")" io.streamsgd.offline.ReferenceSweeps "$@"
