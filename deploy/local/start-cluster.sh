#!/usr/bin/env bash
# Starts a standalone Flink session cluster on this machine: a JobManager and a TaskManager, each its
# own process, with the entrypoints Flink's start-cluster.sh uses and FLINK_CONF_DIR=flink-conf.
# Ports: FLINK_REST_PORT (web UI and REST, default 8081), FLINK_RPC_PORT (default 6123).
set -euo pipefail
. "$(dirname "$0")/flink-env.sh"

ocs_require_java
ocs_require_curl
[ -f "$FLINK_CONF_DIR/config.yaml" ] || ocs_die "No config.yaml in FLINK_CONF_DIR=$FLINK_CONF_DIR"
mkdir -p "$OCS_RUN_DIR/log"
for role in jobmanager taskmanager; do
  if [ -f "$OCS_RUN_DIR/$role.pid" ] && kill -0 "$(cat "$OCS_RUN_DIR/$role.pid")" 2>/dev/null; then
    ocs_die "A $role from $OCS_RUN_DIR is already running (pid $(cat "$OCS_RUN_DIR/$role.pid")); stop it with deploy/local/stop-cluster.sh"
  fi
done
ocs_require_free_port "$FLINK_REST_PORT" "rest.port, Flink's web UI and REST API" FLINK_REST_PORT
ocs_require_free_port "$FLINK_RPC_PORT" "jobmanager.rpc.port" FLINK_RPC_PORT
ocs_flink_classpath

PORTS=(-D "rest.port=$FLINK_REST_PORT" -D "jobmanager.rpc.port=$FLINK_RPC_PORT")

# Heap, direct and metaspace sizes from the configured process sizes, as Flink's own scripts compute them.
resource_params() {
  local out
  out="$("$JAVA" -cp "$FLINK_CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$FLINK_CONF_DIR" 2>&1)" \
    || { echo "$out" >&2; ocs_die "Flink rejected the memory settings in $FLINK_CONF_DIR/config.yaml"; }
  echo "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start_process() {
  local role="$1" main="$2" resources jvm_args dynamic
  resources="$(resource_params "$3")"
  jvm_args="$(echo "$resources" | sed -n 1p)"
  dynamic="$(echo "$resources" | sed -n 2p)"
  # shellcheck disable=SC2086  # jvm_args and dynamic are word lists from BashJavaUtils
  nohup "$JAVA" $jvm_args "${FLINK_JAVA_OPENS[@]}" \
    -Dlog.file="$OCS_RUN_DIR/log/$role.log" \
    -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j.properties" \
    -classpath "$FLINK_CLASSPATH" "$main" \
    --configDir "$FLINK_CONF_DIR" $dynamic "${PORTS[@]}" \
    >"$OCS_RUN_DIR/log/$role.out" 2>&1 </dev/null &
  echo $! >"$OCS_RUN_DIR/$role.pid"
  ocs_log "Started $role (pid $!), log $OCS_RUN_DIR/log/$role.log"
}

why_dead() {
  local role="$1"
  if grep -qE "BindException|Address already in use" "$OCS_RUN_DIR/log/$role".{log,out} 2>/dev/null; then
    echo "$role could not bind a port: $(grep -hE "BindException|Address already in use" "$OCS_RUN_DIR/log/$role".{log,out} | sed -n 1p)" >&2
  else
    tail -n 30 "$OCS_RUN_DIR/log/$role.out" "$OCS_RUN_DIR/log/$role.log" >&2 2>/dev/null || true
  fi
}

start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS

# Ready when the JobManager's REST API reports the TaskManager's slots.
deadline=$((SECONDS + ${OCS_START_TIMEOUT:-90}))
while :; do
  for role in jobmanager taskmanager; do
    if ! kill -0 "$(cat "$OCS_RUN_DIR/$role.pid")" 2>/dev/null; then
      why_dead "$role"
      "$(dirname "$0")/stop-cluster.sh" >/dev/null 2>&1 || true
      ocs_die "The $role exited during start-up; see $OCS_RUN_DIR/log/$role.log"
    fi
  done
  overview="$(curl -fsS "$(ocs_rest_url)/overview" 2>/dev/null || true)"
  if echo "$overview" | grep -q '"taskmanagers":[1-9]' && echo "$overview" | grep -q '"slots-total":[1-9]'; then
    slots="$(echo "$overview" | sed -nE 's/.*"slots-total":([0-9]+).*/\1/p')"
    ocs_log "Flink cluster up: web UI $(ocs_rest_url), $slots task slots, conf $FLINK_CONF_DIR"
    exit 0
  fi
  if [ $SECONDS -ge $deadline ]; then
    "$(dirname "$0")/stop-cluster.sh" >/dev/null 2>&1 || true
    ocs_die "The cluster did not report a TaskManager within ${OCS_START_TIMEOUT:-90}s; see $OCS_RUN_DIR/log/"
  fi
  sleep 1
done
