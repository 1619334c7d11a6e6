#!/usr/bin/env bash
# eventlake's table mode side by side with the Apache Iceberg Kafka Connect sink, on the shared peer harness
# (../shared/bench/peer-harness: build it first with its build.sh). Runs a copy of its run-bench.sh with two more
# sink kinds (table-sinks.sh): eltable (JsonConverter on the task thread, as the Iceberg sink) and eltableraw
# (ByteArrayConverter + value.format=json). Same topic, catalog (JdbcCatalog on one SQLite file), S3 server and
# completion watcher for all; a fresh worker per round.
#   EVENTLAKE_ZIP=distribution/target/eventlake-kafka-connect-eventlake-*.zip benchmarks/peer/run-tables.sh
# Knobs: those of run-bench.sh; SINKS defaults to "eltable iceberg eltableraw eltable iceberg eltableraw".
set -euo pipefail
EL_HERE="$(cd "$(dirname "$0")" && pwd)"
SHARED="${PEER_HARNESS:-$EL_HERE/../../../shared/bench/peer-harness}"
SHARED="$(cd "$SHARED" && pwd)"
BUILD="${BUILD:-${TMPDIR:-/tmp}/peer-harness/build}"
: "${EVENTLAKE_ZIP:?set EVENTLAKE_ZIP to the plugin zip}"
export SINKS="${SINKS:-eltable iceberg eltableraw eltable iceberg eltableraw}"
patched="$(mktemp "${TMPDIR:-/tmp}/run-tables.XXXXXX.sh")"
trap 'rm -f "$patched"' EXIT
# The shared script, with HERE pointing at the shared folder, the table-mode runs sourced before the rounds, and
# the SQLite JDBC driver (the one the Iceberg sink uses) put beside eventlake's plugin.
awk -v shared="$SHARED" -v el="$EL_HERE" '
  /^HERE=/ { print "HERE=\"" shared "\""; print "EL_HERE=\"" el "\""; next }
  /^round=0$/ { print "source \"$EL_HERE/table-sinks.sh\""; print "cp \"$BUILD\"/plugins/iceberg-sink/sqlite-jdbc-*.jar \"$BUILD\"/plugins/eventlake/*/lib/"; }
  { print }' "$SHARED/run-bench.sh" > "$patched"
BUILD="$BUILD" EVENTLAKE_ZIP="$(cd "$(dirname "$EVENTLAKE_ZIP")" && pwd)/$(basename "$EVENTLAKE_ZIP")" bash "$patched"
