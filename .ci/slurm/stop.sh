#!/usr/bin/env bash
# Stop the CI Slurm that setup.sh started: cancel its jobs, then stop
# slurmd, slurmctld, slurmdbd, mariadbd and munged through their pid files.
# Idempotent: a daemon that is not running is skipped. Configuration, the
# accounting database and the installed packages stay, so setup.sh brings
# it all back in seconds.
set -euo pipefail

RUNDIR=/run/slurm

log() { printf '[slurm-stop %(%H:%M:%S)T] %s\n' -1 "$*"; }
die() { printf '[slurm-stop] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid PIDFILE NAME: TERM the daemon, wait up to 30 s, then KILL it.
stop_pid() {
  local pidfile=$1 name=$2 pid _
  if ! running "$pidfile"; then
    log "$name not running"
    return 0
  fi
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "stopped $name (pid $pid)"
      return 0
    fi
    sleep 0.1
  done
  log "$name (pid $pid) ignored TERM for 30 s: killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# Jobs first, so that no slurmstepd outlives slurmd.
if running "$RUNDIR/slurmctld.pid" && command -v squeue >/dev/null; then
  jobs=$(squeue -h -o %i 2>/dev/null | tr '\n' ' ')
  if [ -n "${jobs// /}" ]; then
    log "cancelling jobs: $jobs"
    # shellcheck disable=SC2086 # one argument per job id
    scancel $jobs || true
    for _ in $(seq 60); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
    [ -z "$(squeue -h -o %i 2>/dev/null)" ] || log "jobs still listed after 30 s: $(squeue -h -o '%i %T' | tr '\n' ' ')"
  fi
fi

stop_pid "$RUNDIR/slurmd.pid" slurmd
stop_pid "$RUNDIR/slurmctld.pid" slurmctld
stop_pid "$RUNDIR/slurmdbd.pid" slurmdbd
stop_pid /run/mysqld/mysqld.pid mariadbd
stop_pid /run/munge/munged.pid munged
