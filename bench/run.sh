#!/usr/bin/env bash
# The benchmark, one command: builds the application and the benchmark, then runs it.
#   bench/run.sh          quick mode, about two minutes
#   bench/run.sh full     the figures quoted in docs/performance.md (1,000,000 stored events)
#   bench/run.sh audit    only rebuild and verify on 1,000,000 stored events (BENCH_EVENTS), about five minutes
#   bench/run.sh scaling  only write p50 on an empty and on a 1,000,000-event store (BENCH_DB_SHARED_BUFFERS to vary), about eight minutes
#   bench/run.sh start    only the start-up times: 5 rounds (BENCH_START_ROUNDS), medians, about five minutes
# Against an external PostgreSQL: BENCH_DB_URL=jdbc:postgresql://host:5432/postgres BENCH_DB_USER=... bench/run.sh
# Prints a table and writes bench/results/bench-<mode>-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
./mvnw -q -Pbench -DskipTests package
exec java -Xmx1g -jar ledger-bench/target/ledger-bench.jar "$mode" ledger-api/target/referral-ledger.jar
