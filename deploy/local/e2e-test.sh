#!/usr/bin/env bash
# End-to-end test on a real local Flink cluster. Starts moto (DynamoDB and its stream) and the loopback Momento server
# as their own processes, starts the cluster (deploy/local/start-cluster.sh), submits the shaded jar
# with the Flink CLI, writes orders, stops the job with a savepoint, writes orders while it is down,
# resubmits from the savepoint at another parallelism, writes more, and checks every cache key
# against the contract. Stops everything it started, also on failure. Run after `mvn -B verify`
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
