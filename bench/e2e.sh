#!/usr/bin/env bash
# End-to-end benchmark (issue 6): broker in its own JVM, pre-loaded topics, pass-through vs
# streamsgd throughput, latency, memory and a JFR profile. See bench/E2E.md.
# Usage: bench/e2e.sh [--events=1000000] [--runs=3] [--datasets=synthetic,foods] [--layouts=keyed,unkeyed]
#                     [--latency=true] [--memory=true] [--profile=synthetic] [--commit-ms=100] [--out=DIR] ...
# Results: bench/out/<timestamp>/results.md (also printed); logs and the JFR recording beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/e2e-classpath.txt -Dmdep.includeScope=test >&2
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/e2e-classpath.txt)" \
  io.streamsgd.bench.e2e.E2eBench "$@"
