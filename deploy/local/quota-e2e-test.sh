#!/usr/bin/env bash
# End-to-end test of the sink under Momento's quota, on a real local Flink cluster. The loopback Momento server
# meters every call (one operation per started KiB of key and value) and refuses calls above QUOTA operations per
# second with RESOURCE_EXHAUSTED, as Momento does; the workload asks several times that while it runs. The job runs
# with its defaults (no sink-ops-per-second: the sink finds the rate from the refusals) and no restart allowed.
# Passes when the job never fails, the cache equals the contract within CONVERGE_WITHIN seconds of the traffic's
# end, and the quota refused some calls but at most MAX_REFUSED_PER_SERVED of those it served. Run after
# `mvn -B verify` (or it builds what it needs). Everything it writes stays in target/e2e-quota/.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "$0")/../.." && pwd)/target/e2e-quota"
E2E_NAME="QUOTA E2E"
PARALLELISM=2
# The standard workload's job spends about 140 metered operations per second without a quota.
QUOTA=25
# What is left when traffic stops is at most about 10 s of budget per subtask (the sink's backpressure bound),
# written at the quota, plus the list flush and the source's polling: well inside a minute.
CONVERGE_WITHIN=60
MAX_REFUSED_PER_SERVED=0.10
MOMENTO_ARGS=(--quota "$QUOTA")

. "$(dirname "$0")/e2e-common.sh"

deploy/local/start-cluster.sh

write_job_properties "$PARALLELISM"

# No restart: a throttled write that failed the job would show as a failed job, not as a quiet restart.
submit -D restart-strategy.type=none "$JAR" --config-file "$E2E_DIR/job.properties"
JOB="$SUBMITTED"
await_running "$JOB"
ocs_log "Job $JOB running at parallelism $PARALLELISM; Momento's quota is $QUOTA metered operations per second"

driver write --part 1 --parts 1
ocs_log "Traffic stopped"
driver quota-check --momento "$MOMENTO" --inspect "$INSPECT" --within "$CONVERGE_WITHIN" \
  --max-refused-per-served "$MAX_REFUSED_PER_SERVED" || fail "the cache or the refused calls are wrong under the quota"

body="$(curl -fsS "$(ocs_rest_url)/jobs/$JOB")"
echo "$body" | grep -q '"state":"RUNNING"' || fail "job $JOB is not running: $(echo "$body" | head -c 400)"
restarts="$(curl -fsS "$(ocs_rest_url)/jobs/$JOB/metrics?get=numRestarts" | sed -nE 's/.*"value":"([0-9]+)".*/\1/p')"
[ "$restarts" = "0" ] || fail "job $JOB restarted $restarts times under the quota"
exceptions="$(curl -fsS "$(ocs_rest_url)/jobs/$JOB/exceptions")"
echo "$exceptions" | grep -q '"exceptionHistory":{"entries":\[\]' || fail "job $JOB recorded an exception: $(echo "$exceptions" | head -c 600)"
if grep -h "Momento's quota is the bottleneck" "$OCS_RUN_DIR"/log/taskmanager.log 2>/dev/null | sed -n 1p | grep -q .; then
  ocs_log "The TaskManager logged: $(grep -h "Momento's quota is the bottleneck" "$OCS_RUN_DIR"/log/taskmanager.log | sed -n 1p | cut -c1-400)"
fi
ocs_log "Job $JOB ran through the quota with no failure and no restart"

deploy/local/flink cancel "$JOB" >>"$E2E_DIR/flink-cli.out" 2>&1 || fail "could not cancel $JOB"
