#!/usr/bin/env bash
# End-to-end test on a real local Flink cluster. Starts moto (DynamoDB and its stream) and the loopback Momento server
# as their own processes, starts the cluster (deploy/local/start-cluster.sh), submits the shaded jar
# with the Flink CLI, writes orders, stops the job with a savepoint, writes orders while it is down,
# resubmits from the savepoint at another parallelism, writes more, and checks every cache key
# against the contract. Then it stops again and resubmits configured only the way Managed Flink configures
# the job: the property group of deploy/msf/template.yaml, in the file format the service hands the job. Stops everything it started, also on failure. Run after `mvn -B verify`
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
  --stack "StreamArn=$STREAM_ARN" \
  --stack "MomentoApiKeySecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:order-cache-sync/momento-AbCdEf" \
  --local aws-region=us-east-1 --local "aws-endpoint=$DDB_ENDPOINT" --local aws-credentials=local-dummy \
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
