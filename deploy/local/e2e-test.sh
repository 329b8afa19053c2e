#!/usr/bin/env bash
# End-to-end test on a real local Flink cluster. Starts moto (DynamoDB and its stream) and the loopback Momento server
# as their own processes, starts the cluster (deploy/local/start-cluster.sh), submits the shaded jar
# with the Flink CLI, writes orders, stops the job with a savepoint, writes orders while it is down,
# resubmits from the savepoint at another parallelism, writes more, and checks every cache key
# against the contract. Then the table bootstrap: a table with orders written before its stream was enabled,
# scanned with traffic running and a task failure injected mid-scan; then a savepoint restored onto that table
# re-created (a new stream), with orders created, changed and deleted while the job was away, into an empty cache. Stops everything it started, also on failure. Run after `mvn -B verify`
# (or it builds what it needs). Everything it writes stays in target/e2e-cluster/.
set -euo pipefail
. "$(dirname "$0")/flink-env.sh"
cd "$OCS_ROOT"

STARTED=$SECONDS
E2E_DIR="$OCS_ROOT/target/e2e-cluster"
FIRST_PARALLELISM=2
SECOND_PARALLELISM=3

ocs_require_java
ocs_require_curl
# moto at the pinned version (installed under target/ when missing); fails at once, saying what to install.
bash deploy/local/moto.sh python
rm -rf "$E2E_DIR"
mkdir -p "$E2E_DIR"

# Its own cluster run dir and ports, so it never meets a cluster someone started by hand.
export OCS_RUN_DIR="$E2E_DIR/cluster"
FLINK_REST_PORT="$(ocs_free_port)"
FLINK_RPC_PORT="$(ocs_free_port)"
while [ "$FLINK_RPC_PORT" = "$FLINK_REST_PORT" ]; do FLINK_RPC_PORT="$(ocs_free_port)"; done
export FLINK_REST_PORT FLINK_RPC_PORT

HELPER_PIDS=()
JOB_IDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for job in "${JOB_IDS[@]}"; do
    curl -fsS -X PATCH "$(ocs_rest_url)/jobs/$job?mode=cancel" >/dev/null 2>&1
  done
  deploy/local/stop-cluster.sh
  for pid in "${HELPER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${HELPER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  if [ $rc -eq 0 ]; then
    ocs_log "E2E PASSED in $((SECONDS - STARTED))s"
  else
    ocs_log "E2E FAILED (exit $rc) after $((SECONDS - STARTED))s; logs in $E2E_DIR and $OCS_RUN_DIR/log"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "E2E FAILURE: $*" >&2
  exit 1
}

# --- build --------------------------------------------------------------------------------------
JAR="$(ls target/order-cache-sync-*.jar 2>/dev/null | grep -v original | sed -n 1p || true)"
if [ -z "$JAR" ] || [ ! -d target/test-classes ]; then
  ocs_log "Building the shaded jar and test classes ..."
  mvn -B -q package -DskipTests
  JAR="$(ls target/order-cache-sync-*.jar | grep -v original | sed -n 1p)"
fi
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$E2E_DIR/test.classpath" >"$E2E_DIR/maven.log" 2>&1 \
  || { cat "$E2E_DIR/maven.log" >&2; fail "could not resolve the test classpath"; }
TEST_CP="target/test-classes:target/classes:$(cat "$E2E_DIR/test.classpath")"
HELPER_JAVA=("$JAVA" -Xmx512m -Dlog4j.configurationFile=log4j2-test.properties
  -Djava.util.logging.config.file=src/test/resources/jul-logging.properties
  -cp "$TEST_CP")

# --- moto with the table, and the loopback Momento server, each its own process ------------------------
start_helper() {
  local name="$1"; shift
  "${HELPER_JAVA[@]}" "$@" --ready-file "$E2E_DIR/$name.ready" >"$E2E_DIR/$name.log" 2>&1 &
  HELPER_PIDS+=($!)
  local pid=$! deadline=$((SECONDS + 60))
  until [ -f "$E2E_DIR/$name.ready" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$E2E_DIR/$name.log" >&2; fail "$name exited during start-up"; }
    [ $SECONDS -lt $deadline ] || fail "$name not ready within 60s; see $E2E_DIR/$name.log"
    sleep 0.5
  done
  ocs_log "$(head -1 "$E2E_DIR/$name.log") (pid $pid)"
}
ready_value() {
  sed -n "s/^$2=//p" "$E2E_DIR/$1.ready"
}

start_helper dynamodb dev.ordercachesync.e2e.OrderTableProcess
start_helper momento dev.ordercachesync.e2e.MomentoProcess --cache pizza
DDB_ENDPOINT="$(ready_value dynamodb endpoint)"
STREAM_ARN="$(ready_value dynamodb stream-arn)"
MOMENTO="$(ready_value momento momento)"
INSPECT="$(ready_value momento inspect)"

driver() {
  "${HELPER_JAVA[@]}" dev.ordercachesync.e2e.ClusterE2eDriver "$@" --dynamodb "$DDB_ENDPOINT"
}

# --- the cluster --------------------------------------------------------------------------------
deploy/local/start-cluster.sh

# The job's parameters in a file, as a user would keep them; the resubmission overrides one on the command line.
cat >"$E2E_DIR/job.properties" <<PROPS
stream-arn=$STREAM_ARN
aws-region=us-east-1
aws-endpoint=$DDB_ENDPOINT
aws-credentials=local-dummy
shard-discovery-interval=1s
momento-cache-name=pizza
momento-local-endpoint=$MOMENTO
list-flush-interval=100ms
parallelism=$FIRST_PARALLELISM
PROPS

submit() {
  local out
  out="$(deploy/local/flink run -d -D "execution.checkpointing.dir=file://$E2E_DIR/checkpoints" -D execution.checkpointing.interval=2s \
    "$@" 2>&1)" || { echo "$out" >&2; fail "flink run failed"; }
  echo "$out" >>"$E2E_DIR/flink-cli.out"
  SUBMITTED="$(echo "$out" | sed -nE 's/.*JobID ([0-9a-f]{32}).*/\1/p' | sed -n 1p)"
  [ -n "$SUBMITTED" ] || { echo "$out" >&2; fail "no JobID in the output of flink run"; }
  JOB_IDS+=("$SUBMITTED")
}

await_running() {
  local job="$1" deadline=$((SECONDS + 90)) body
  while :; do
    body="$(curl -fsS "$(ocs_rest_url)/jobs/$job" || true)"
    if echo "$body" | grep -q '"state":"RUNNING"' \
        && ! echo "$body" | grep -qE '"status":"(CREATED|SCHEDULED|DEPLOYING|INITIALIZING)"'; then
      return
    fi
    echo "$body" | grep -qE '"state":"(FAILED|FAILING|CANCELED|FINISHED)"' && fail "job $job is not running: $(echo "$body" | head -c 400)"
    [ $SECONDS -lt $deadline ] || fail "job $job not running within 90s"
    sleep 1
  done
}

vertex_parallelisms() {
  curl -fsS "$(ocs_rest_url)/jobs/$1" | grep -oE '"parallelism":[0-9]+' | sort -u | cut -d: -f2 | tr '\n' ' '
}

submit "$JAR" --config-file "$E2E_DIR/job.properties"
FIRST_JOB="$SUBMITTED"
await_running "$FIRST_JOB"
ocs_log "Job $FIRST_JOB running; operator parallelisms: $(vertex_parallelisms "$FIRST_JOB")"
[ "$(vertex_parallelisms "$FIRST_JOB")" = "$FIRST_PARALLELISM " ] || fail "expected parallelism $FIRST_PARALLELISM from job.properties"

driver write --part 1 --parts 3
driver check --momento "$MOMENTO" --inspect "$INSPECT" --timeout 120 || fail "cache wrong before the savepoint"

# --- stop with a savepoint, write while the job is down, resume at another parallelism -----------
out="$(deploy/local/flink stop --savepointPath "file://$E2E_DIR/savepoints" "$FIRST_JOB" 2>&1)" || { echo "$out" >&2; fail "flink stop failed"; }
SAVEPOINT="$(echo "$out" | sed -nE 's/.*Savepoint completed\. Path: (.*)$/\1/p' | sed -n 1p)"
[ -n "$SAVEPOINT" ] || { echo "$out" >&2; fail "no savepoint path in the output of flink stop"; }
curl -fsS "$(ocs_rest_url)/jobs/$FIRST_JOB" | grep -q '"state":"FINISHED"' || fail "job $FIRST_JOB did not finish after stop"
ocs_log "Stopped $FIRST_JOB with savepoint $SAVEPOINT"

driver write --part 2 --parts 3

submit -s "$SAVEPOINT" "$JAR" --config-file "$E2E_DIR/job.properties" --parallelism "$SECOND_PARALLELISM"
SECOND_JOB="$SUBMITTED"
await_running "$SECOND_JOB"
ocs_log "Job $SECOND_JOB running from the savepoint; operator parallelisms: $(vertex_parallelisms "$SECOND_JOB")"
[ "$(vertex_parallelisms "$SECOND_JOB")" = "$SECOND_PARALLELISM " ] || fail "expected parallelism $SECOND_PARALLELISM from the command line"
restored="$(curl -fsS "$(ocs_rest_url)/jobs/$SECOND_JOB/checkpoints" | grep -oE '"restored":\{[^}]*\}' || true)"
echo "$restored" | grep -qF "\"external_path\":\"${SAVEPOINT}\"" || fail "job $SECOND_JOB did not restore from $SAVEPOINT: $restored"

driver write --part 3 --parts 3
driver check --momento "$MOMENTO" --inspect "$INSPECT" --timeout 120 || fail "cache wrong after the restore"

deploy/local/flink cancel "$SECOND_JOB" >>"$E2E_DIR/flink-cli.out" 2>&1 || fail "could not cancel $SECOND_JOB"

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
