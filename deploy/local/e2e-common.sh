# Sourced by the end-to-end scripts beside it, after they set E2E_DIR (where everything they write goes), E2E_NAME
# (what their last log line calls them) and optionally MOMENTO_ARGS (more arguments for e2e.MomentoProcess). Starts
# moto with the order table and the loopback Momento server as their own processes, gives the cluster its own run
# dir and free ports, and stops everything it started on exit, also on failure. Defines fail, driver (the
# ClusterE2eDriver), write_job_properties, submit (flink run; sets SUBMITTED) and await_running. The caller starts the cluster.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
cd "$OCS_ROOT"

STARTED=$SECONDS
MOMENTO_ARGS=("${MOMENTO_ARGS[@]+"${MOMENTO_ARGS[@]}"}")

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
    ocs_log "$E2E_NAME PASSED in $((SECONDS - STARTED))s"
  else
    ocs_log "$E2E_NAME FAILED (exit $rc) after $((SECONDS - STARTED))s; logs in $E2E_DIR and $OCS_RUN_DIR/log"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "$E2E_NAME FAILURE: $*" >&2
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
start_helper momento dev.ordercachesync.e2e.MomentoProcess --cache pizza "${MOMENTO_ARGS[@]}"
DDB_ENDPOINT="$(ready_value dynamodb endpoint)"
STREAM_ARN="$(ready_value dynamodb stream-arn)"
MOMENTO="$(ready_value momento momento)"
INSPECT="$(ready_value momento inspect)"

driver() {
  "${HELPER_JAVA[@]}" dev.ordercachesync.e2e.ClusterE2eDriver "$@" --dynamodb "$DDB_ENDPOINT"
}

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

# The job's parameters in a file, as a user would keep them, at the given parallelism.
write_job_properties() {
  cat >"$E2E_DIR/job.properties" <<PROPS
stream-arn=$STREAM_ARN
aws-region=us-east-1
aws-endpoint=$DDB_ENDPOINT
aws-credentials=local-dummy
shard-discovery-interval=1s
momento-cache-name=pizza
momento-local-endpoint=$MOMENTO
list-flush-interval=100ms
parallelism=$1
PROPS
}
