#!/usr/bin/env bash
# Run the labcarbon job mix on the CI Slurm (see setup.sh) and save what
# sacct and the jobcomp log say about it into OUTDIR, for the integration
# test (ingest/slurm/integration_test.go, build tag slurm).
#
# Usage: jobs.sh OUTDIR
#
# The mix (section 8 of the Slurm research notes): busy loops on 1 and 2
# CPUs, exit 1, cancelled while running and while pending, a --time=1
# timeout, --array=1-3, an sbatch with four srun steps (one of 2 tasks, one
# failing), memory within and over the limit, --exclusive, a bare srun, a
# requeued job, a job with a | in its name, a heterogeneous job (two
# components; on this one-node cluster Slurm does not start it, so it is
# cancelled while pending), a job submitted held and released, and one left
# running. Jobs run as alice (account laba) and bob (account labb).
#
# OUTDIR receives:
#   manifest.tsv       label, JobID, JobIDRaw, user, account, expected states
#   window.env         START, END (UTC), CLUSTER, FIELDS of the captures
#   sacct-P.txt        sacct -P (--parsable2) with the recommended fields
#   sacct-p.txt        the same with -p (--parsable, trailing delimiter)
#   sacct-caret.txt    the same with -p --delimiter='^|^' (reportseff style)
#   sacct-noheader.txt the same as -P with --noheader
#   sacct.json         sacct --json
#   jobcomp.log        the jobcomp/filetxt log
#   helpformat.txt     sacct --helpformat
#   version.txt        sacct --version
# Every sacct capture uses TZ=UTC --allusers --duplicates and the window.
#
# Jobs of earlier runs by alice and bob are cancelled first. The whole run
# fails after MAX_SECONDS (default 480).
set -euo pipefail

FIELDS=JobID,JobIDRaw,User,UID,Group,Account,Partition,QOS,Cluster,State,ExitCode,Submit,Start,End,Elapsed,ElapsedRaw,TimelimitRaw,NNodes,NCPUS,NTasks,NodeList,ReqMem,ReqTRES,AllocTRES,TotalCPU,MaxRSS,TRESUsageInTot,ConsumedEnergyRaw,JobName
CLUSTER=localcluster
MAX_SECONDS=${MAX_SECONDS:-480}
JOBDIR=/tmp/labcarbon-slurm-jobs
export TZ=UTC

log() { printf '[slurm-jobs %(%H:%M:%S)T +%3ds] %s\n' -1 "$SECONDS" "$*"; }
die() { printf '[slurm-jobs] ERROR: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
OUT=$1
[ "$(id -u)" -eq 0 ] || die "must run as root (jobs are submitted as alice and bob)"
for cmd in sbatch srun squeue scancel scontrol sacct perl runuser; do
  command -v "$cmd" >/dev/null || die "$cmd not found: run setup.sh first"
done
scontrol ping >/dev/null 2>&1 || die "slurmctld does not answer: run setup.sh first"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# deadline_left: seconds left before MAX_SECONDS, or fail.
deadline_left() {
  local left=$((MAX_SECONDS - SECONDS))
  [ $left -gt 0 ] || die "job mix still not done after $MAX_SECONDS s; queue: $(squeue -h -o '%i %u %T %r' | tr '\n' ';')"
  echo $left
}

# wait_until WHAT CMD...: poll CMD every 0.5 s until it succeeds, within the
# overall deadline.
wait_until() {
  local what=$1; shift
  until "$@"; do
    deadline_left >/dev/null
    sleep 0.5
  done
  log "$what"
}

# state ID: the job's state as slurmctld knows it ("" once it is gone).
state() { squeue -h -j "$1" -o %T 2>/dev/null || true; }
is_state() { [ "$(state "$1")" = "$2" ]; }

# submit USER ACCOUNT LABEL EXPECT SBATCH-ARGS...: submit a batch job as USER
# and record it in the manifest; sets JOB to its id.
submit() {
  local user=$1 account=$2 label=$3 expect=$4; shift 4
  JOB=$(cd "$JOBDIR" && runuser -u "$user" -- sbatch --parsable -A "$account" \
    --chdir="/home/$user" -o "/home/$user/lc-%j.out" --time=5 "$@")
  JOB=${JOB%%;*}
  [[ $JOB =~ ^[0-9]+$ ]] || die "sbatch for $label printed '$JOB', not a job id"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$JOB" "$JOB" "$user" "$account" "$expect" >>"$OUT/manifest.tsv"
  IDS+=("$JOB")
  log "submitted $label as $user: job $JOB"
}

# --- 0. clean slate ---------------------------------------------------------
if [ -n "$(squeue -h -u alice,bob -o %i)" ]; then
  log "cancelling jobs of an earlier run: $(squeue -h -u alice,bob -o %i | tr '\n' ' ')"
  scancel -u alice || true
  scancel -u bob || true
  wait_until "earlier jobs gone" test -z "$(squeue -h -u alice,bob -o %i)"
fi
rm -f "$OUT"/manifest.tsv "$OUT"/window.env "$OUT"/sacct* "$OUT"/jobcomp.log "$OUT"/helpformat.txt "$OUT"/version.txt
sleep 1 # jobs cancelled above end before the window starts
START=$(date -u +%Y-%m-%dT%H:%M:%S)
IDS=()

# The job scripts: bash, not sbatch --wrap, which runs /bin/sh.
install -d -m 755 "$JOBDIR"
cat >"$JOBDIR/busy.sh" <<'EOF'
#!/bin/bash
# busy.sh SECONDS [PROCESSES]: keep PROCESSES CPUs busy for SECONDS.
for _ in $(seq "${2:-1}"); do
  perl -e '$e = time + $ARGV[0]; 1 while time < $e' "$1" &
done
wait
EOF
cat >"$JOBDIR/mem.sh" <<'EOF'
#!/bin/bash
# mem.sh MIB SECONDS: hold MIB MiB of resident memory for SECONDS.
perl -e '$x = "a" x ($ARGV[0] * 1048576); sleep $ARGV[1]' "$1" "$2"
EOF
cat >"$JOBDIR/exit1.sh" <<'EOF'
#!/bin/bash
sleep 1
exit 1
EOF
cat >"$JOBDIR/steps.sh" <<'EOF'
#!/bin/bash
# Four srun steps: busy, a 2-task memory step, a failing one, a trivial one.
# No set -e: the failed step must not end the job.
srun -n1 /tmp/labcarbon-slurm-jobs/busy.sh 2
srun -n2 /tmp/labcarbon-slurm-jobs/mem.sh 30 4
srun -n1 false
srun -n1 true
EOF
cat >"$JOBDIR/sleep.sh" <<'EOF'
#!/bin/bash
sleep "$1"
EOF
chmod 755 "$JOBDIR"/*.sh

# --- 1. jobs steered by hand --------------------------------------------------
# Both CPUs busy: the timeout job and one to cancel while it runs.
submit alice laba timeout TIMEOUT --time=1 -J lc-timeout sleep.sh 300
submit alice laba cancel_running CANCELLED -J lc-cancel-running sleep.sh 300
cancel_running=$JOB
wait_until "job $cancel_running running" is_state "$cancel_running" RUNNING
# A 2-CPU job now has to wait: cancel it while it is pending.
submit alice laba cancel_pending CANCELLED -c 2 -J lc-cancel-pending sleep.sh 5
wait_until "job $JOB pending" is_state "$JOB" PENDING
sleep 1
runuser -u alice -- scancel "$JOB"
runuser -u alice -- scancel "$cancel_running"
log "cancelled $JOB (pending) and $cancel_running (running)"
# A job that is requeued once while running: sacct --duplicates shows both
# of its records. sacct lists records by submit time, and the requeued
# record's submit time is that of the requeue: a job submitted in between
# (whole seconds apart) separates the two records, as on a real cluster
# where a job is requeued hours after its submission.
submit bob labb requeue COMPLETED --requeue -J lc-requeue sleep.sh 4
requeue_job=$JOB
wait_until "job $requeue_job running" is_state "$requeue_job" RUNNING
sleep 1.1
submit alice laba busy1 COMPLETED -J lc-busy1 busy.sh 4
sleep 1.1
scontrol requeue "$requeue_job"
log "requeued job $requeue_job"

# A heterogeneous job: each component is a job of its own (188+0 with
# JobIDRaw 188, 188+1 with 189). Cancelled while pending, both consume
# nothing.
het=$(cd "$JOBDIR" && runuser -u alice -- sbatch --parsable -A laba --chdir=/home/alice \
  -o /home/alice/lc-%j.out --time=5 -J lc-het -n1 : -n1 sleep.sh 1)
het=${het%%;*}
[[ $het =~ ^[0-9]+$ ]] || die "sbatch of the heterogeneous job printed '$het', not a job id"
wait_until "heterogeneous job $het pending" test -n "$(squeue -h -j "$het" -o %T | grep -x PENDING)"
runuser -u alice -- scancel "$het"
printf '%s\t%s\t%s\t%s\t%s\t%s\n' het_0 "$het+0" "$het" alice laba CANCELLED het_1 "$het+1" "$((het + 1))" alice laba CANCELLED >>"$OUT/manifest.tsv"
IDS+=("$het")
log "submitted and cancelled heterogeneous job $het while pending"
# A job submitted on hold and released: eligible later than submitted.
submit bob labb held COMPLETED --hold -J lc-held sleep.sh 1
held_job=$JOB
wait_until "job $held_job held" test "$(squeue -h -j "$held_job" -o %r)" = JobHeldUser
sleep 1.1
scontrol release "$held_job"
log "released job $held_job"

# --- 2. the rest of the mix ---------------------------------------------------
submit alice laba exit1 FAILED -J lc-exit1 exit1.sh
submit alice laba array COMPLETED --array=1-3 -J lc-array busy.sh 2
array_job=$JOB
submit alice laba mem_ok COMPLETED --mem=200M -J lc-mem-ok mem.sh 100 5
submit bob labb mem_over 'OUT_OF_MEMORY|FAILED' --mem=50M -J lc-mem-over mem.sh 200 6
submit alice laba pipe_name COMPLETED -J 'lc-pipe|name' sleep.sh 1
# A bare srun (no batch step); srun waits for its job, so in the background.
(cd "$JOBDIR" && exec runuser -u bob -- srun -A labb -n1 --time=5 -J lc-srun ./busy.sh 2) \
  >"$OUT/srun.log" 2>&1 &
srun_pid=$!
# 2-CPU jobs: they run once the timeout job has ended.
submit bob labb busy2 COMPLETED -c 2 -J lc-busy2 busy.sh 4 2
submit bob labb steps COMPLETED -n 2 -J lc-steps steps.sh
submit bob labb exclusive COMPLETED --exclusive -J lc-exclusive busy.sh 2

# The bare srun's job id, from the queue or, once it ended, from sacct.
srun_job=
find_srun() {
  srun_job=$(sacct -n -X -P -u bob -S "$START" --name=lc-srun -o JobIDRaw | tail -1)
  [ -n "$srun_job" ] && return 0
  kill -0 "$srun_pid" 2>/dev/null || die "the bare srun ended without a job: $(cat "$OUT/srun.log")"
  return 1
}
wait_until "bare srun found" find_srun
printf '%s\t%s\t%s\t%s\t%s\t%s\n' srun "$srun_job" "$srun_job" bob labb COMPLETED >>"$OUT/manifest.tsv"
IDS+=("$srun_job")

# --- 3. wait for all of it ------------------------------------------------------
queue_empty() { [ -z "$(squeue -h -u alice,bob -o %i)" ]; }
wait_until "queue empty" queue_empty
wait "$srun_pid" || die "the bare srun failed: $(cat "$OUT/srun.log")"
# slurmdbd learns of job ends asynchronously: wait until it has them all.
accounted() {
  local states
  # Without --duplicates: only the latest record of the requeued job.
  states=$(sacct -n -X -P -a -S "$START" -j "$(IFS=,; echo "${IDS[*]}")" -o State)
  ! grep -qE '^(PENDING|RUNNING|REQUEUED|COMPLETING|CONFIGURING|SUSPENDED)' <<<"$states"
}
wait_until "accounting complete" accounted

# The array's tasks, each a job of its own.
sed -i "/^array\t/d" "$OUT/manifest.tsv"
while IFS='|' read -r id raw; do
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "array_${id#*_}" "$id" "$raw" alice laba COMPLETED >>"$OUT/manifest.tsv"
done < <(sacct -n -X -P -j "$array_job" -o JobID,JobIDRaw)

# --- 4. one job left running ------------------------------------------------------
submit alice laba running RUNNING --time=30 -J lc-running sleep.sh 1800
wait_until "job $JOB running" is_state "$JOB" RUNNING
# slurmdbd hears of the start a moment later, and may record the steps
# before the job (whose line then says PENDING, eligible Unknown, and is
# left out of a windowed query): wait until a query like the captures' shows
# the job line running.
running_accounted() {
  [ "$(sacct -n -P -X -a -S "$START" -E now -j "$1" -o State 2>/dev/null)" = RUNNING ]
}
wait_until "job $JOB running in the accounting" running_accounted "$JOB"

# --- 5. capture ----------------------------------------------------------------------
END=$(date -u +%Y-%m-%dT%H:%M:%S)
common=(--allusers --duplicates --starttime "$START" --endtime "$END")
capture() {
  local file=$1; shift
  sacct "$@" >"$OUT/$file" 2>"$OUT/$file.stderr" || die "sacct $* failed: $(cat "$OUT/$file.stderr")"
  [ -s "$OUT/$file.stderr" ] || rm -f "$OUT/$file.stderr"
}
capture sacct-P.txt "${common[@]}" --parsable2 --format "$FIELDS"
capture sacct-p.txt "${common[@]}" --parsable --format "$FIELDS"
capture sacct-caret.txt "${common[@]}" --parsable --delimiter='^|^' --format "$FIELDS"
capture sacct-noheader.txt "${common[@]}" --parsable2 --noheader --format "$FIELDS"
capture sacct.json "${common[@]}" --json
capture helpformat.txt --helpformat
capture version.txt --version
cp /var/log/slurm/jobcomp.log "$OUT/jobcomp.log"
cat >"$OUT/window.env" <<EOF
START=$START
END=$END
CLUSTER=$CLUSTER
FIELDS=$FIELDS
EOF
log "captured $(wc -l <"$OUT/sacct-P.txt") lines of sacct -P, $(wc -l <"$OUT/manifest.tsv") jobs into $OUT"
column -t -s $'\t' "$OUT/manifest.tsv" 2>/dev/null || cat "$OUT/manifest.tsv"
log "done in $SECONDS s (job $JOB left running; stop.sh cancels it)"
