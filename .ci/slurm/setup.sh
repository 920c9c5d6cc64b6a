#!/usr/bin/env bash
# Bring up a single-node Slurm with slurmdbd accounting on Debian 12, for the
# labcarbon integration test: munge, MariaDB, slurmdbd, slurmctld and slurmd,
# all on loopback, started directly (no systemd) with their own pid files.
#
# Idempotent: installs only missing packages, rewrites a config only when it
# changed and restarts only the daemons whose config changed, adds only
# missing accounting entities, and starts only daemons that are not running.
#
# Must run as root. Environment:
#   SLURM_CGROUP=auto|yes|no  enforce memory with cgroup v1 (real
#                             OUT_OF_MEMORY) instead of polling with
#                             OverMemoryKill. auto (default): yes when the
#                             cgroup v1 memory controller is mounted.
set -euo pipefail

CLUSTER=localcluster
NODE=localhost
ETC=/etc/slurm
LOGDIR=/var/log/slurm
RUNDIR=/run/slurm
DB_PASS=labcarbon-ci-only # loopback-only throwaway database
PACKAGES=(slurm-wlm slurmctld slurmd slurmdbd slurm-client munge mariadb-server mariadb-client)

log() { printf '[slurm-setup %(%H:%M:%S)T] %s\n' -1 "$*"; }
die() { printf '[slurm-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
T0=$SECONDS

# running PIDFILE: true when the pid file names a live process.
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# sm ARGS...: sacctmgr that can never wait for an answer on stdin (it asks
# "Are you sure?" for some queries and loops on end of input).
sm() { timeout 30 sacctmgr "$@" </dev/null; }

# wait_for SECONDS WHAT CMD...: poll CMD every 0.2 s until it succeeds.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
  log "$what (after $((SECONDS - T0)) s)"
}

# stop_pid PIDFILE NAME: stop the daemon of a pid file and wait for it.
stop_pid() {
  local pidfile=$1 name=$2 pid _
  running "$pidfile" || return 0
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  die "$name (pid $pid) did not stop within 10 s"
}

# install_file DEST MODE OWNER < content: write DEST only when it differs;
# returns 0 when it changed (so the caller restarts its daemon), 1 if not.
install_file() {
  local dest=$1 mode=$2 owner=$3 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    return 1
  fi
  install -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$tmp" "$dest"
  rm -f "$tmp"
  log "wrote $dest"
  return 0
}

# --- 1. packages -------------------------------------------------------------
missing=()
# dpkg-query fails when a package is unknown to dpkg: that is the answer.
status=$(dpkg-query -W -f='${Package}=${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
installed=" $(sed -n 's/=install ok installed$//p' <<<"$status" | tr '\n' ' ') "
for p in "${PACKAGES[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' init scripts from starting daemons during install:
  # this script starts them itself, with its own configuration.
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  log "installed in $((SECONDS - T0)) s"
else
  log "packages already installed"
fi
for cmd in slurmctld slurmd slurmdbd sacctmgr sacct sinfo munged mariadbd mariadb; do
  command -v "$cmd" >/dev/null || die "$cmd not found after install"
done

# --- 2. host name, users, directories ---------------------------------------
# With NoInAddrAny the daemons bind the address the host name resolves to:
# it must be loopback, or they would listen on the network.
host=$(hostname)
addr=$(getent ahostsv4 "$host" | awk 'NR==1 {print $1}' || true)
case "$addr" in
  127.*) ;;
  *)
    log "host name $host resolves to '${addr:-nothing}': mapping it to 127.0.1.1 in /etc/hosts"
    { printf '127.0.1.1 %s\n' "$host"; grep -v "[[:space:]]$host\([[:space:]]\|\$\)" /etc/hosts || true; } >/etc/hosts.labcarbon
    cat /etc/hosts.labcarbon >/etc/hosts && rm -f /etc/hosts.labcarbon
    addr=$(getent ahostsv4 "$host" | awk 'NR==1 {print $1}')
    case "$addr" in 127.*) ;; *) die "host name $host still resolves to '$addr', not loopback" ;; esac
    ;;
esac
getent ahostsv4 localhost | grep -q '^127\.' || die "localhost does not resolve to 127.x"

for u in alice bob; do
  id "$u" >/dev/null 2>&1 || { useradd -m -s /bin/bash "$u"; log "created user $u"; }
done
id slurm >/dev/null 2>&1 || die "user slurm missing (the slurm packages create it)"
id munge >/dev/null 2>&1 || die "user munge missing (the munge package creates it)"
id mysql >/dev/null 2>&1 || die "user mysql missing (the mariadb package creates it)"

install -d -m 755 -o slurm -g slurm "$LOGDIR" "$RUNDIR" /var/spool/slurmctld
install -d -m 755 -o root -g root /var/spool/slurmd
install -d -m 755 -o munge -g munge /run/munge
install -d -m 700 -o munge -g munge /var/lib/munge /var/log/munge
install -d -m 755 -o mysql -g mysql /run/mysqld

# --- 3. configuration --------------------------------------------------------
case "${SLURM_CGROUP:-auto}" in
  yes | no) cgroup=$SLURM_CGROUP ;;
  auto) if [ -d /sys/fs/cgroup/memory ] && grep -q ' /sys/fs/cgroup/memory cgroup ' /proc/mounts; then cgroup=yes; else cgroup=no; fi ;;
  *) die "SLURM_CGROUP must be auto, yes or no, not '$SLURM_CGROUP'" ;;
esac
if [ "$cgroup" = yes ]; then
  log "memory enforcement: cgroup v1 (proctrack/task/jobacct_gather cgroup)"
  plugins="ProctrackType=proctrack/cgroup
TaskPlugin=task/cgroup
JobAcctGatherType=jobacct_gather/cgroup
JobAcctGatherParams=NoOverMemoryKill"
else
  log "memory enforcement: polling (jobacct_gather/linux with OverMemoryKill)"
  plugins="ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherParams=OverMemoryKill"
fi

# The node as slurmd sees it, with 95% of its memory for jobs.
hw=$(slurmd -C)
hwval() { [[ $hw =~ (^|[[:space:]])$1=([0-9]+) ]] && echo "${BASH_REMATCH[2]}"; }
cpus=$(hwval CPUs) boards=$(hwval Boards) sockets=$(hwval SocketsPerBoard)
cores=$(hwval CoresPerSocket) threads=$(hwval ThreadsPerCore) mem=$(hwval RealMemory)
if [ -z "$cpus" ] || [ -z "$mem" ]; then die "cannot read the node from 'slurmd -C': $hw"; fi
mem=$((mem * 95 / 100))

restart_ctld='' restart_slurmd='' restart_dbd=
if install_file "$ETC/slurm.conf" 644 root:root <<EOF; then restart_ctld=1 restart_slurmd=1; fi
# Written by labcarbon .ci/slurm/setup.sh: single-node CI cluster on loopback.
ClusterName=$CLUSTER
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
# A requeued job waits cred_expire + 1 s before it may start again (default 120).
AuthInfo=cred_expire=30
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmctldPort=6817
SlurmdPort=6818
SlurmctldPidFile=$RUNDIR/slurmctld.pid
SlurmdPidFile=$RUNDIR/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
$plugins
JobAcctGatherFrequency=task=2
PrologFlags=Contain
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
KillWait=5
MinJobAge=300
InactiveLimit=0
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=6819
AccountingStorageEnforce=associations
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGDIR/jobcomp.log
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus Boards=${boards:-1} SocketsPerBoard=${sockets:-1} CoresPerSocket=${cores:-$cpus} ThreadsPerCore=${threads:-1} RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

if install_file "$ETC/cgroup.conf" 644 root:root <<EOF; then restart_slurmd=1; fi
# Written by labcarbon .ci/slurm/setup.sh; used when SLURM_CGROUP selects cgroup.
CgroupPlugin=cgroup/v1
CgroupAutomount=yes
ConstrainCores=yes
ConstrainRAMSpace=yes
ConstrainSwapSpace=yes
AllowedSwapSpace=0
EOF

if install_file "$ETC/slurmdbd.conf" 600 slurm:slurm <<EOF; then restart_dbd=1; fi
# Written by labcarbon .ci/slurm/setup.sh.
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
CommunicationParameters=NoInAddrAny
SlurmUser=slurm
PidFile=$RUNDIR/slurmdbd.pid
LogFile=$LOGDIR/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
EOF

# --- 4. munge ------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
  log "creating the munge key"
  mungekey --create --keyfile=/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
if ! running /run/munge/munged.pid; then
  log "starting munged"
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
  wait_for 10 "munged up" munge -n || die "munged did not answer within 10 s"
fi

# --- 5. MariaDB ------------------------------------------------------------------
if [ ! -d /var/lib/mysql/mysql ]; then
  log "initialising the MariaDB data directory"
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >"$LOGDIR/mariadb-install.log" 2>&1 ||
    die "mariadb-install-db failed: see $LOGDIR/mariadb-install.log"
fi
if ! running /run/mysqld/mysqld.pid; then
  log "starting mariadbd on 127.0.0.1"
  setsid /usr/sbin/mariadbd --user=mysql --datadir=/var/lib/mysql \
    --bind-address=127.0.0.1 --port=3306 --socket=/run/mysqld/mysqld.sock \
    --pid-file=/run/mysqld/mysqld.pid --log-error="$LOGDIR/mariadb.log" \
    --innodb-buffer-pool-size=128M --innodb-lock-wait-timeout=900 \
    </dev/null >/dev/null 2>&1 &
  wait_for 60 "mariadbd up" mariadb-admin --socket=/run/mysqld/mysqld.sock ping ||
    die "mariadbd did not come up within 60 s: see $LOGDIR/mariadb.log"
fi
mariadb --socket=/run/mysqld/mysqld.sock <<EOF
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
EOF

# --- 6. slurmdbd and the accounting entities ----------------------------------
[ -z "$restart_dbd" ] || stop_pid "$RUNDIR/slurmdbd.pid" slurmdbd
if ! running "$RUNDIR/slurmdbd.pid"; then
  log "starting slurmdbd"
  slurmdbd
  wait_for 60 "slurmdbd up" sm -n list cluster ||
    die "slurmdbd did not answer within 60 s: see $LOGDIR/slurmdbd.log"
fi

# listed WHAT FORMAT NAME [FILTER...]: whether NAME is in the listing.
listed() {
  local what=$1 format=$2 name=$3; shift 3
  sm -n -P list "$what" "$@" format="$format" | grep -qx -- "$name"
}
if ! listed cluster cluster "$CLUSTER"; then
  sm -i add cluster "$CLUSTER" >/dev/null
  log "added cluster $CLUSTER"
fi
for a in laba labb; do
  if ! listed account account "$a"; then
    sm -i add account "$a" cluster="$CLUSTER" description="labcarbon CI $a" organization=labcarbon >/dev/null
    log "added account $a"
  fi
done
# add_user USER ACCOUNT: the user's association with the account.
add_user() {
  if ! listed assoc user "$1" user="$1" account="$2" cluster="$CLUSTER"; then
    sm -i add user "$1" account="$2" cluster="$CLUSTER" >/dev/null
    log "added user $1 to account $2"
  fi
}
add_user alice laba
add_user bob labb
add_user root laba
add_user root labb

# --- 7. slurmctld and slurmd -------------------------------------------------
[ -z "$restart_slurmd" ] || stop_pid "$RUNDIR/slurmd.pid" slurmd
[ -z "$restart_ctld" ] || stop_pid "$RUNDIR/slurmctld.pid" slurmctld
if ! running "$RUNDIR/slurmctld.pid"; then
  log "starting slurmctld"
  slurmctld
  wait_for 60 "slurmctld up" scontrol ping ||
    die "slurmctld did not answer within 60 s: see $LOGDIR/slurmctld.log"
fi
if ! running "$RUNDIR/slurmd.pid"; then
  log "starting slurmd"
  slurmd -N "$NODE"
fi

# node_up: slurmd answers and slurmctld has the node usable.
node_up() {
  local s
  scontrol show slurmd >/dev/null 2>&1 || return 1
  s=$(sinfo -h -n "$NODE" -o %t 2>/dev/null)
  case "$s" in
    idle | mix | alloc | comp) return 0 ;;
    drain* | down*) scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  return 1
}
wait_for 60 "node $NODE up" node_up ||
  die "node $NODE not up within 60 s (state: $(sinfo -h -n "$NODE" -o %T 2>&1)); see $LOGDIR/slurmd.log and slurmctld.log"
state=$(sinfo -h -n "$NODE" -o %T)
[ "$state" = idle ] || log "node $NODE is $state: jobs of an earlier run are still there (jobs.sh cancels them)"
log "Slurm up: cluster $CLUSTER, node $NODE ($cpus CPUs, ${mem} MiB), $(sacct --version) in $((SECONDS - T0)) s"
