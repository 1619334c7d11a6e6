# Sink runs added to the shared peer harness's run-bench.sh by run-tables.sh (sourced into a patched copy).
# eventlake in table mode on the same JDBC catalog (SQLite file), S3 server and topic as the Iceberg sink, and
# measured by the same watcher: N / (commit time of the snapshot that completes N rows - time of the POST).

run_table_mode() {   # $1: label, $2: value.converter, $3: value.format
  local label=$1
  tools peer.IcebergTable ns "jdbc:sqlite:$RUN/iceberg-catalog.db" s3://bench/warehouse "$S3" $AK $SK bench.events_el_r$round || return 1
  local cpu0=$(cpu_s $CPID) bcpu0=$(cpu_s $BPID) scpu0=$(cpu_s $S3PID) t0=$(date +%s%3N)
  tmpl "${EL_TABLE_TMPL:-$EL_HERE/eventlake-table.json.tmpl}" | sed -e "s#@VALUE_CONVERTER@#$2#g" -e "s#@VALUE_FORMAT@#$3#g" \
    | curl -s -X POST -H 'Content-Type: application/json' --data @- "$REST/connectors" > "$RUN/$label-create-$round.json"
  log "$label connector created at $t0"
  if grep -q '"error_code"' "$RUN/$label-create-$round.json"; then
    echo "$label connector refused: $(cat "$RUN/$label-create-$round.json")" | tee "$RUN/$label-result-$round.txt"; return 1
  fi
  tools peer.IcebergTable watch "jdbc:sqlite:$RUN/iceberg-catalog.db" s3://bench/warehouse "$S3" $AK $SK bench.events_el_r$round "$N" "$WATCH_TIMEOUT" "$t0" "$REST/connectors/eventlake-table-r$round/status" | tee "$RUN/$label-result-$round.txt"
  local t1=$(date +%s%3N) cpu1=$(cpu_s $CPID) bcpu1=$(cpu_s $BPID) scpu1=$(cpu_s $S3PID)
  curl -s "$REST/connectors/eventlake-table-r$round/status"; echo
  echo "cpu seconds from connector create until watcher saw all rows (wall $(( t1 - t0 )) ms): worker=$(echo "$cpu1 - $cpu0" | bc) broker=$(echo "$bcpu1 - $bcpu0" | bc) s3proxy=$(echo "$scpu1 - $scpu0" | bc)" | tee -a "$RUN/$label-result-$round.txt"
  local secs=$(grep -o 'start->last-commit=[0-9.]*' "$RUN/$label-result-$round.txt" | cut -d= -f2)
  local tbytes=$(grep -o 'valueBytes+keyBytes=[0-9]*' "$RUN/produce.txt" | cut -d= -f2)
  [ -n "$secs" ] && echo "$label sink: $N records in ${secs}s => $(echo "$N / $secs" | bc) rec/s, $(echo "scale=1; $tbytes / 1000000 / $secs" | bc) MB/s of Kafka key+value bytes" | tee -a "$RUN/$label-result-$round.txt"
  curl -s -X DELETE "$REST/connectors/eventlake-table-r$round"
  tools peer.IcebergTable count "jdbc:sqlite:$RUN/iceberg-catalog.db" s3://bench/warehouse "$S3" $AK $SK bench.events_el_r$round | tee -a "$RUN/$label-result-$round.txt"
  tools peer.DuckCount "$RUN/s3/bench/eventlake_t_r$round/**/*.parquet" | tee -a "$RUN/$label-result-$round.txt"
}

# Tables, values decoded by Connect's JsonConverter on the task thread (as the Iceberg sink's).
run_eltable() { run_table_mode eltable org.apache.kafka.connect.json.JsonConverter connect; }
# Tables, values as bytes decoded by the sink itself (value.format=json) on value.decode.threads threads.
run_eltableraw() { run_table_mode eltableraw org.apache.kafka.connect.converters.ByteArrayConverter json; }
# Tables, Avro values decoded by Apicurio's AvroConverter (run-avro.sh puts it in EL_TABLE_TMPL).
run_eltableavro() { run_table_mode eltableavro io.apicurio.registry.utils.converter.AvroConverter connect; }

# A sink that does (almost) nothing: Kafka's FileStreamSinkConnector writing each value's toString to /dev/null,
# through the same converter, on the same fresh worker. Its rate from the POST to the commit of N offsets (late by
# up to offset.flush.interval.ms) is the most any sink can reach on this harness: start-up, consumer, converter.
run_null_sink() {   # $1: label, $2: value.converter
  local label=$1 extra=""
  [ -n "${REGISTRY:-}" ] && extra=", \"value.converter.apicurio.registry.url\": \"$REGISTRY\""
  local cpu0=$(cpu_s $CPID) bcpu0=$(cpu_s $BPID) t0=$(date +%s%3N)
  curl -s -X POST -H 'Content-Type: application/json' --data "{\"name\": \"null-sink-r$round\", \"config\": {\"connector.class\": \"org.apache.kafka.connect.file.FileStreamSinkConnector\", \"tasks.max\": \"$TASKS\", \"topics\": \"$TOPIC\", \"file\": \"/dev/null\", \"key.converter\": \"org.apache.kafka.connect.storage.StringConverter\", \"value.converter\": \"$2\", \"value.converter.schemas.enable\": \"true\"$extra}}" "$REST/connectors" > "$RUN/$label-create-$round.json"
  log "$label connector created at $t0"
  "$JAVA" -cp "$EL_HERE/../../benchmarks/target/classes:$(cat "$EL_HERE/../../benchmarks/target/classpath.txt")" \
    io.eventlake.bench.peer.GroupWatch "$BOOT" "connect-null-sink-r$round" "$N" "$t0" "$WATCH_TIMEOUT" | tee "$RUN/$label-result-$round.txt"
  local cpu1=$(cpu_s $CPID) bcpu1=$(cpu_s $BPID)
  echo "cpu seconds from connector create until all offsets committed: worker=$(echo "$cpu1 - $cpu0" | bc) broker=$(echo "$bcpu1 - $bcpu0" | bc)" | tee -a "$RUN/$label-result-$round.txt"
  local secs=$(grep -o 'start->last-commit=[0-9.]*' "$RUN/$label-result-$round.txt" | cut -d= -f2)
  [ -n "$secs" ] && echo "$label sink: $N records in ${secs}s => $(echo "$N / $secs" | bc) rec/s (nothing written)" | tee -a "$RUN/$label-result-$round.txt"
  curl -s -X DELETE "$REST/connectors/null-sink-r$round"
}
run_nulljson() { run_null_sink nulljson org.apache.kafka.connect.json.JsonConverter; }
run_nullavro() { run_null_sink nullavro io.apicurio.registry.utils.converter.AvroConverter; }
