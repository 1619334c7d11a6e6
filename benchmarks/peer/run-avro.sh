#!/usr/bin/env bash
# The peer harness's Avro round: eventlake's table mode and the Apache Iceberg Kafka Connect sink on the same topic
# of Avro records (Apicurio Registry's AvroConverter, the same six fields and values as the harness's JSON round),
# the same catalog (JdbcCatalog on one SQLite file), S3 server and completion watcher; a fresh worker per round.
# Runs a copy of the shared run-bench.sh (../shared/bench/peer-harness; build it first with its build.sh) in which
# the producer and the plain-consumer baseline are io.eventlake.bench.peer.AvroPeer's, a registry stand-in
# (ApicurioRegistryFake) serves both workers' converters, and Apicurio's converter is a plugin beside both sinks.
#   mvn -B -DskipTests install      # the zip, benchmarks/target/classpath.txt, test-runtimes/apicurio-converter
#   EVENTLAKE_ZIP=distribution/target/eventlake-kafka-connect-eventlake-*.zip benchmarks/peer/run-avro.sh
# Knobs: those of run-bench.sh; SINKS defaults to "eltableavro iceberg eltableavro iceberg"; REGISTRY_PORT (18081).
set -euo pipefail
EL_HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$EL_HERE/../.." && pwd)"
SHARED="${PEER_HARNESS:-$ROOT/../shared/bench/peer-harness}"
SHARED="$(cd "$SHARED" && pwd)"
BUILD="${BUILD:-${TMPDIR:-/tmp}/peer-harness/build}"
: "${EVENTLAKE_ZIP:?set EVENTLAKE_ZIP to the plugin zip}"
export SINKS="${SINKS:-eltableavro iceberg eltableavro iceberg}"
export REGISTRY_PORT="${REGISTRY_PORT:-18081}"
APICURIO_LIB="$ROOT/test-runtimes/apicurio-converter/target/lib"
[ -d "$APICURIO_LIB" ] && [ -f "$ROOT/benchmarks/target/classpath.txt" ] || {
  echo "run 'mvn -B -DskipTests install' first (needs $APICURIO_LIB and benchmarks/target/classpath.txt)"; exit 1; }
export AVRO_CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt"):$APICURIO_LIB/*"
export REGISTRY="http://127.0.0.1:$REGISTRY_PORT/apis/registry/v2"
work="$(mktemp -d "${TMPDIR:-/tmp}/run-avro.XXXXXX")"
trap 'rm -rf "$work"; rm -rf "$BUILD/plugins/apicurio-avro-converter"' EXIT
# Both sinks' connector templates with Apicurio's converter and the registry in place of JsonConverter.
avro_conf() {
  sed -e 's#"value.converter": "[^"]*"#"value.converter": "io.apicurio.registry.utils.converter.AvroConverter",\n    "value.converter.apicurio.registry.url": "'"$REGISTRY"'"#' "$1"
}
avro_conf "$SHARED/conf/iceberg-sink.json.tmpl" > "$work/iceberg-sink.json.tmpl"
avro_conf "$EL_HERE/eventlake-table.json.tmpl" > "$work/eventlake-table.json.tmpl"
rm -rf "$BUILD/plugins/apicurio-avro-converter"; mkdir -p "$BUILD/plugins/apicurio-avro-converter"
cp "$APICURIO_LIB"/*.jar "$BUILD/plugins/apicurio-avro-converter/"
awk -v shared="$SHARED" -v el="$EL_HERE" -v work="$work" '
  /^HERE=/ { print "HERE=\"" shared "\""; print "EL_HERE=\"" el "\""; print "EL_TABLE_TMPL=\"" work "/eventlake-table.json.tmpl\""; next }
  /^tools peer.MkBucket/ { print;
    print "\"$JAVA\" -cp \"$AVRO_CP\" io.eventlake.bench.peer.AvroPeer registry \"$REGISTRY_PORT\" > \"$RUN/logs/registry.log\" 2>&1 &";
    print "PIDS+=($!); wait_port \"$REGISTRY_PORT\""; next }
  /^tools peer.Produce / { print "\"$JAVA\" -Xmx2g -cp \"$AVRO_CP\" io.eventlake.bench.peer.AvroPeer produce \"$BOOT\" \"$TOPIC\" \"$N\" \"$PARTITIONS\" \"$REGISTRY\" | tee \"$RUN/produce.txt\""; next }
  /^tools peer.BaselineConsume / { print "\"$JAVA\" -Xmx2g -cp \"$AVRO_CP\" io.eventlake.bench.peer.AvroPeer baseline \"$BOOT\" \"$TOPIC\" \"$N\" \"$REGISTRY\" | tee \"$RUN/baseline.txt\""; next }
  /^round=0$/ { print "source \"$EL_HERE/table-sinks.sh\""; print "cp \"$BUILD\"/plugins/iceberg-sink/sqlite-jdbc-*.jar \"$BUILD\"/plugins/eventlake/*/lib/"; }
  { gsub(/"\$HERE\/conf\/iceberg-sink.json.tmpl"/, "\"" work "/iceberg-sink.json.tmpl\""); print }' "$SHARED/run-bench.sh" > "$work/run-bench.sh"
BUILD="$BUILD" EVENTLAKE_ZIP="$(cd "$(dirname "$EVENTLAKE_ZIP")" && pwd)/$(basename "$EVENTLAKE_ZIP")" bash "$work/run-bench.sh"
