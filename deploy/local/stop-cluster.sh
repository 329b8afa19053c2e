#!/usr/bin/env bash
# Stops the TaskManager and JobManager that start-cluster.sh started (by their pid files), politely
# first. Running jobs are not savepointed: stop them first with 'deploy/local/flink stop'.
set -uo pipefail
. "$(dirname "$0")/flink-env.sh"

stopped=0
for role in taskmanager jobmanager; do
  pid_file="$OCS_RUN_DIR/$role.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$role (pid $pid) did not stop within 20s; killing it" >&2
      kill -9 "$pid" 2>/dev/null
    fi
    ocs_log "Stopped $role (pid $pid)"
    stopped=$((stopped + 1))
  fi
  rm -f "$pid_file"
done
[ $stopped -gt 0 ] || ocs_log "No cluster from $OCS_RUN_DIR was running"
exit 0
