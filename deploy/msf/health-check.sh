#!/usr/bin/env bash
# Is the application healthy after a deploy? RUNNING alone can hide a restart loop: the service shows RUNNING while
# Flink restarts the job again and again. This checks, with the AWS CLI (v2, or v1 >= 1.27) and CloudWatch:
#   1. the application is RUNNING, and is not left restoring a custom snapshot (or none) or allowing non-restored state;
#   2. its latest operation (the update) did not fail; if it did, prints why (describe-application-operation);
#   3. over the last --window minutes: the job did not restart more than --max-restarts times (fullRestarts on
#      FLINK-1_20, numRestarts on FLINK-2_2), is not down now (downtime), has been up --min-uptime minutes (uptime),
#      and no checkpoint failed (numberOfFailedCheckpoints).
# Exit status: 0 healthy; 1 unhealthy (each reason printed); 2 not settled yet (an operation in progress, or too
# little data): run it again in a few minutes. Example, a few minutes after `aws cloudformation deploy`:
#   deploy/msf/health-check.sh --application-name order-cache-sync --window 15
set -euo pipefail

APP=""
WINDOW=15
MAX_RESTARTS=0
MIN_UPTIME=5
REGION_ARGS=()

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  echo "usage: $0 --application-name NAME [--region REGION] [--window MINUTES] [--max-restarts N] [--min-uptime MINUTES]"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --application-name) APP="${2:-}"; shift 2 ;;
    --region) REGION_ARGS=(--region "${2:-}"); shift 2 ;;
    --window) WINDOW="${2:-}"; shift 2 ;;
    --max-restarts) MAX_RESTARTS="${2:-}"; shift 2 ;;
    --min-uptime) MIN_UPTIME="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 64 ;;
  esac
done
[ -n "$APP" ] || { echo "--application-name is required" >&2; usage >&2; exit 64; }
for n in "$WINDOW" "$MAX_RESTARTS" "$MIN_UPTIME"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "'$n' is not a whole number of minutes or restarts" >&2; exit 64; }
done
[ "$WINDOW" -ge 1 ] || { echo "--window must be at least 1 minute" >&2; exit 64; }
command -v aws >/dev/null 2>&1 || { echo "the AWS CLI (aws) is not on PATH" >&2; exit 64; }

UNHEALTHY=()
UNSETTLED=()
kda() { aws kinesisanalyticsv2 "$@" --application-name "$APP" "${REGION_ARGS[@]}"; }

# --- 1. the application -------------------------------------------------------------------------------------------
RUN_CONFIG='ApplicationDetail.ApplicationConfigurationDescription.RunConfigurationDescription'
read -r STATUS RUNTIME VERSION RESTORE_TYPE ALLOW_NON_RESTORED <<<"$(kda describe-application --output text --query \
  "[ApplicationDetail.ApplicationStatus, ApplicationDetail.RuntimeEnvironment, ApplicationDetail.ApplicationVersionId, $RUN_CONFIG.ApplicationRestoreConfigurationDescription.ApplicationRestoreType, $RUN_CONFIG.FlinkRunConfigurationDescription.AllowNonRestoredState]")"
echo "$APP: $STATUS, $RUNTIME, version $VERSION"
case "$STATUS" in
  RUNNING) ;;
  STARTING|UPDATING|AUTOSCALING|ROLLING_BACK|MAINTENANCE)
    UNSETTLED+=("the application is $STATUS") ;;
  *)
    UNHEALTHY+=("the application is $STATUS, not RUNNING") ;;
esac
if [ "$RESTORE_TYPE" = "RESTORE_FROM_CUSTOM_SNAPSHOT" ]; then
  UNHEALTHY+=("RestoreType is still RESTORE_FROM_CUSTOM_SNAPSHOT: deploy the stack with RestoreType=RESTORE_FROM_LATEST_SNAPSHOT and SnapshotName empty, or the next update restores that old snapshot again")
fi
if [ "$RESTORE_TYPE" = "SKIP_RESTORE_FROM_SNAPSHOT" ]; then
  UNHEALTHY+=("RestoreType is SKIP_RESTORE_FROM_SNAPSHOT: every later update starts the job without state and scans the whole table; deploy the stack with RestoreType=RESTORE_FROM_LATEST_SNAPSHOT")
fi
if [ "$ALLOW_NON_RESTORED" = "True" ] || [ "$ALLOW_NON_RESTORED" = "true" ]; then
  UNHEALTHY+=("AllowNonRestoredState is still true: deploy the stack with AllowNonRestoredState=false, or a later restore may drop state silently")
fi

# --- 2. the latest operation --------------------------------------------------------------------------------------
read -r OP_ID OP_TYPE OP_STATUS <<<"$(kda list-application-operations --limit 1 --output text --query \
  'ApplicationOperationInfoList[0].[OperationId, Operation, OperationStatus]')"
if [ "$OP_ID" != "None" ] && [ -n "$OP_ID" ]; then
  echo "latest operation: $OP_TYPE $OP_STATUS ($OP_ID)"
  case "$OP_STATUS" in
    FAILED)
      IFS=$'\t' read -r ROLLBACK WHY <<<"$(kda describe-application-operation --operation-id "$OP_ID" --output text --query \
        'ApplicationOperationInfoDetails.OperationFailureDetails.[RollbackOperationId, ErrorInfo.ErrorString]')"
      msg="operation $OP_TYPE $OP_ID failed: $WHY"
      [ "$ROLLBACK" != "None" ] && [ -n "$ROLLBACK" ] && msg="$msg (the service rolled back: operation $ROLLBACK)"
      UNHEALTHY+=("$msg") ;;
    IN_PROGRESS)
      UNSETTLED+=("operation $OP_TYPE $OP_ID is in progress") ;;
  esac
fi

# --- 3. the job, from CloudWatch ----------------------------------------------------------------------------------
END="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
START="$(date -u -d "@$(( $(date +%s) - WINDOW * 60 ))" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null \
  || date -u -v-"${WINDOW}"M +%Y-%m-%dT%H:%M:%SZ)"
# One value per minute, oldest first, of the application's metric: its Maximum.
series() {
  aws cloudwatch get-metric-data "${REGION_ARGS[@]}" --start-time "$START" --end-time "$END" \
    --scan-by TimestampAscending --output text --query 'MetricDataResults[0].Values' \
    --metric-data-queries "[{\"Id\":\"m\",\"ReturnData\":true,\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/KinesisAnalytics\",\"MetricName\":\"$1\",\"Dimensions\":[{\"Name\":\"Application\",\"Value\":\"$APP\"}]},\"Period\":60,\"Stat\":\"Maximum\"}}]" \
    | tr '\t' '\n' | sed '/^$/d; /^None$/d'
}
# How much a counter went up over the series; a new job (a deploy, a scaling) starts again at 0.
increase() { awk 'NR > 1 && $1 > prev { up += $1 - prev } { prev = $1 } END { printf "%d\n", up }'; }

if [ "$RUNTIME" = "FLINK-2_2" ]; then RESTART_METRIC=numRestarts; else RESTART_METRIC=fullRestarts; fi
RESTARTS="$(series "$RESTART_METRIC")"
DOWNTIME="$(series downtime)"
UPTIME="$(series uptime)"
FAILED_CHECKPOINTS="$(series numberOfFailedCheckpoints)"

if [ -z "$UPTIME" ] || [ -z "$RESTARTS" ]; then
  UNSETTLED+=("no uptime or $RESTART_METRIC data in the last $WINDOW minutes: the job has not reported yet")
else
  n="$(echo "$RESTARTS" | increase)"
  echo "restarts in the last $WINDOW minutes ($RESTART_METRIC): $n"
  [ "$n" -le "$MAX_RESTARTS" ] || UNHEALTHY+=("the job restarted $n times in the last $WINDOW minutes (at most $MAX_RESTARTS allowed): a restart loop; the log group's first exception says why")
  up_ms="$(echo "$UPTIME" | tail -n 1)"
  up_min="$(awk -v ms="$up_ms" 'BEGIN { printf "%d\n", ms / 60000 }')"
  echo "uptime: $up_min minutes"
  if [ "$up_min" -lt "$MIN_UPTIME" ] && [ "$(echo "$RESTARTS" | increase)" -le "$MAX_RESTARTS" ]; then
    UNSETTLED+=("the job has been up $up_min minutes, less than --min-uptime $MIN_UPTIME")
  fi
fi
down_ms="$(echo "$DOWNTIME" | tail -n 1)"
if [ -n "$down_ms" ] && awk -v ms="$down_ms" 'BEGIN { exit !(ms > 0) }'; then
  UNHEALTHY+=("the job is down now (downtime $down_ms ms)")
fi
if [ -n "$FAILED_CHECKPOINTS" ]; then
  f="$(echo "$FAILED_CHECKPOINTS" | increase)"
  [ "$f" -eq 0 ] || UNHEALTHY+=("$f checkpoints failed in the last $WINDOW minutes: a snapshot or restart would resume from older state")
fi

# --- verdict ------------------------------------------------------------------------------------------------------
if [ ${#UNHEALTHY[@]} -gt 0 ]; then
  for r in "${UNHEALTHY[@]}"; do echo "UNHEALTHY: $r"; done
  for r in "${UNSETTLED[@]+"${UNSETTLED[@]}"}"; do echo "not settled: $r"; done
  exit 1
fi
if [ ${#UNSETTLED[@]} -gt 0 ]; then
  for r in "${UNSETTLED[@]}"; do echo "NOT SETTLED: $r"; done
  echo "run it again in a few minutes"
  exit 2
fi
echo "HEALTHY: RUNNING, no restart and no failed checkpoint in the last $WINDOW minutes"
