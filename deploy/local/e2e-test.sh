#!/usr/bin/env bash
# End-to-end test on a real local Flink cluster. Starts moto (DynamoDB and its stream) and the loopback Momento server
# as their own processes, starts the cluster (deploy/local/start-cluster.sh), submits the shaded jar
# with the Flink CLI, writes orders, stops the job with a savepoint, writes orders while it is down,
# resubmits from the savepoint at another parallelism, writes more, and checks every cache key
# against the contract. Then it stops again and resubmits configured only the way Managed Flink configures
# the job: the property group of deploy/msf/template.yaml, in the file format the service hands the job. Then the
# table bootstrap: a table with orders written before its stream was enabled, scanned with traffic running and a
# task failure injected mid-scan; then a savepoint restored onto that table re-created (a new stream), with orders
# created, changed and deleted while the job was away, into an empty cache. Stops everything it started, also on failure. Run after `mvn -B verify`
# (or it builds what it needs). Everything it writes stays in target/e2e-cluster/.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "$0")/../.." && pwd)/target/e2e-cluster"
E2E_NAME=E2E
FIRST_PARALLELISM=2
SECOND_PARALLELISM=3

. "$(dirname "$0")/e2e-common.sh"

# --- the cluster --------------------------------------------------------------------------------
deploy/local/start-cluster.sh

# The job's parameters in a file, as a user would keep them; the resubmission overrides one on the command line.
write_job_properties "$FIRST_PARALLELISM"

submit "$JAR" --config-file "$E2E_DIR/job.properties"
FIRST_JOB="$SUBMITTED"
await_running "$FIRST_JOB"
ocs_log "Job $FIRST_JOB running; operator parallelisms: $(vertex_parallelisms "$FIRST_JOB")"
[ "$(vertex_parallelisms "$FIRST_JOB")" = "$FIRST_PARALLELISM " ] || fail "expected parallelism $FIRST_PARALLELISM from job.properties"

# Stops a job with a savepoint; sets SAVEPOINT to its path.
stop_with_savepoint() {
  local job="$1" out
  out="$(deploy/local/flink stop --savepointPath "file://$E2E_DIR/savepoints" "$job" 2>&1)" || { echo "$out" >&2; fail "flink stop failed"; }
  SAVEPOINT="$(echo "$out" | sed -nE 's/.*Savepoint completed\. Path: (.*)$/\1/p' | sed -n 1p)"
  [ -n "$SAVEPOINT" ] || { echo "$out" >&2; fail "no savepoint path in the output of flink stop"; }
  curl -fsS "$(ocs_rest_url)/jobs/$job" | grep -q '"state":"FINISHED"' || fail "job $job did not finish after stop"
  ocs_log "Stopped $job with savepoint $SAVEPOINT"
}

require_restored() {
  local job="$1" restored
  restored="$(curl -fsS "$(ocs_rest_url)/jobs/$job/checkpoints" | grep -oE '"restored":\{[^}]*\}' || true)"
  echo "$restored" | grep -qF "\"external_path\":\"${SAVEPOINT}\"" || fail "job $job did not restore from $SAVEPOINT: $restored"
}

driver write --part 1 --parts 4
driver check --momento "$MOMENTO" --inspect "$INSPECT" --timeout 120 || fail "cache wrong before the savepoint"

# --- stop with a savepoint, write while the job is down, resume at another parallelism -----------
stop_with_savepoint "$FIRST_JOB"
driver write --part 2 --parts 4

submit -s "$SAVEPOINT" "$JAR" --config-file "$E2E_DIR/job.properties" --parallelism "$SECOND_PARALLELISM"
SECOND_JOB="$SUBMITTED"
await_running "$SECOND_JOB"
ocs_log "Job $SECOND_JOB running from the savepoint; operator parallelisms: $(vertex_parallelisms "$SECOND_JOB")"
[ "$(vertex_parallelisms "$SECOND_JOB")" = "$SECOND_PARALLELISM " ] || fail "expected parallelism $SECOND_PARALLELISM from the command line"
require_restored "$SECOND_JOB"

driver write --part 3 --parts 4
driver check --momento "$MOMENTO" --inspect "$INSPECT" --timeout 120 || fail "cache wrong after the restore"

# --- configured as on Managed Flink: the template's property group, nothing else ------------------
# The file is what the service writes to /etc/flink/application_properties.json for a stack with these
# parameters, plus what only a local run needs (endpoints, dummy credentials, faster intervals). The job reads
# it with aws-kinesisanalytics-runtime, as on the service; a property name the job does not know, or a value the
# service would refuse (empty, too long), fails here.
stop_with_savepoint "$SECOND_JOB"
"${HELPER_JAVA[@]}" dev.ordercachesync.e2e.ApplicationPropertiesFile --out "$E2E_DIR/application_properties.json" \
  --stack "TableName=OrderTable" \
  --stack "MomentoApiKeySecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:order-cache-sync/momento-AbCdEf" \
  --stack "AWS::Region=us-east-1" --local "aws-endpoint=$DDB_ENDPOINT" --local aws-credentials=local-dummy \
  --local "momento-local-endpoint=$MOMENTO" --local shard-discovery-interval=1s --local list-flush-interval=100ms \
  >>"$E2E_DIR/flink-cli.out" 2>&1 || { cat "$E2E_DIR/flink-cli.out" >&2; fail "the template's property group is not one Managed Flink accepts"; }
driver write --part 4 --parts 4

submit -s "$SAVEPOINT" "$JAR" --application-properties "$E2E_DIR/application_properties.json"
THIRD_JOB="$SUBMITTED"
await_running "$THIRD_JOB"
ocs_log "Job $THIRD_JOB running from the savepoint, configured by the template's property group only"
require_restored "$THIRD_JOB"
driver check --momento "$MOMENTO" --inspect "$INSPECT" --timeout 120 || fail "cache wrong with the Managed Flink configuration"

deploy/local/flink cancel "$THIRD_JOB" >>"$E2E_DIR/flink-cli.out" 2>&1 || fail "could not cancel $THIRD_JOB"

# --- bootstrap: a table whose older orders are in no stream ---------------------------------------
BOOT_TABLE=BootstrapOrders
boot() {
  driver "$@" --table "$BOOT_TABLE" --orders 400 --seed 15
}
cache_keys() {
  curl -fsS "$INSPECT/caches/$1" | grep -o '":"' | wc -l
}
boot create-table
boot write --part 1 --parts 6
boot write --part 2 --parts 6
boot enable-stream
driver create-cache --momento "$MOMENTO" --cache bootstrap
# Only the table is named: the job finds its stream. A slow scan, so traffic and a failure land inside it.
cat >"$E2E_DIR/bootstrap.properties" <<PROPS
table-name=$BOOT_TABLE
aws-region=us-east-1
aws-endpoint=$DDB_ENDPOINT
aws-credentials=local-dummy
shard-discovery-interval=1s
momento-cache-name=bootstrap
momento-local-endpoint=$MOMENTO
list-flush-interval=100ms
parallelism=2
bootstrap-segments=4
bootstrap-page-size=10
bootstrap-read-capacity=2
stream-check-interval=5s
PROPS
submit "$JAR" --config-file "$E2E_DIR/bootstrap.properties"
BOOT_JOB="$SUBMITTED"
await_running "$BOOT_JOB"
deadline=$((SECONDS + 90))
until [ "$(cache_keys bootstrap)" -ge 60 ]; do
  [ $SECONDS -lt $deadline ] || fail "the bootstrap wrote fewer than 60 keys in 90s"
  sleep 1
done
# A checkpoint taken now covers part of the scan, so the restart has positions to resume from.
completed_checkpoints() {
  curl -fsS "$(ocs_rest_url)/jobs/$1/checkpoints" | grep -oE '"completed":[0-9]+' | sed -n 1p | cut -d: -f2
}
before="$(completed_checkpoints "$BOOT_JOB")"
deadline=$((SECONDS + 30))
until [ "$(completed_checkpoints "$BOOT_JOB")" -gt "$before" ]; do
  [ $SECONDS -lt $deadline ] || fail "no checkpoint of $BOOT_JOB completed within 30s"
  sleep 0.5
done
curl -fsS -X POST "$INSPECT/faults/fail-next?rpc=set&count=1&code=PERMISSION_DENIED" >/dev/null
ocs_log "Injected a task failure (one PERMISSION_DENIED set) after $(cache_keys bootstrap) keys were written"
boot write --part 3 --parts 6
boot check --momento "$MOMENTO" --inspect "$INSPECT" --cache bootstrap --timeout 180 || fail "cache wrong after the bootstrap"
grep -q "Table scan reader .* resumes segment" "$OCS_RUN_DIR"/log/*taskmanager*.log \
  || fail "no scan reader resumed a segment after the failure; see $OCS_RUN_DIR/log"
# The REST metric cache fills on the first request: ask until it answers.
restarts=0
deadline=$((SECONDS + 30))
while [ "$restarts" -lt 1 ] && [ $SECONDS -lt $deadline ]; do
  restarts="$(curl -fsS "$(ocs_rest_url)/jobs/$BOOT_JOB/metrics?get=numRestarts" | grep -oE '"value":"[0-9]+"' | grep -oE '[0-9]+' || true)"
  restarts="${restarts:-0}"
  [ "$restarts" -ge 1 ] || sleep 1
done
[ "$restarts" -ge 1 ] || fail "the injected failure did not restart job $BOOT_JOB"
ocs_log "Bootstrap converged after $restarts restart(s); the scan resumed from its checkpointed positions"

# --- a savepoint restored onto the table re-created (new stream), changed while away, empty cache --
out="$(deploy/local/flink stop --savepointPath "file://$E2E_DIR/savepoints" "$BOOT_JOB" 2>&1)" || { echo "$out" >&2; fail "flink stop failed"; }
BOOT_SAVEPOINT="$(echo "$out" | sed -nE 's/.*Savepoint completed\. Path: (.*)$/\1/p' | sed -n 1p)"
[ -n "$BOOT_SAVEPOINT" ] || { echo "$out" >&2; fail "no savepoint path in the output of flink stop"; }
boot restore-table
boot write --part 4 --parts 6
boot enable-stream
boot write --part 5 --parts 6
driver create-cache --momento "$MOMENTO" --cache bootstrap-empty
submit -s "$BOOT_SAVEPOINT" "$JAR" --config-file "$E2E_DIR/bootstrap.properties" --momento-cache-name bootstrap-empty
REBOOT_JOB="$SUBMITTED"
await_running "$REBOOT_JOB"
boot write --part 6 --parts 6
boot check --momento "$MOMENTO" --inspect "$INSPECT" --cache bootstrap-empty --timeout 180 \
  || fail "cache wrong after restoring onto the re-created table"
grep -q "Stream gap" "$OCS_RUN_DIR"/log/*jobmanager*.log || fail "the job did not report the replaced stream as a gap"
ocs_log "Restored onto the re-created table: gap detected, table scanned again, cache equals the contract"
deploy/local/flink cancel "$REBOOT_JOB" >>"$E2E_DIR/flink-cli.out" 2>&1 || fail "could not cancel $REBOOT_JOB"
