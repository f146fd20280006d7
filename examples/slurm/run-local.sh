#!/usr/bin/env bash
# A real Slurm run on this machine: starts a one-node Slurm cluster (slurmctld + slurmd on
# localhost, munge for authentication) from Debian's packages, submits a job array of 4 shards of
# a 1,000,000-subject W-b study, merges the shards and checks that the merged subject table and
# summary statistics are byte-identical to one run on one machine. Stops the daemons it started.
#
#   npm run test:slurm            (needs root for apt-get and the daemons; installs slurm-wlm, munge)
#   DOSEWISE_N=100000 npm run test:slurm     a smaller study
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${DOSEWISE_N:-1000000}
SHARDS=${DOSEWISE_SHARDS:-4}
WORK=$(mktemp -d /tmp/dosewise-slurm.XXXXXX)
HOST=$(hostname -s)
say() { printf 'slurm test: %s\n' "$*"; }

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge from Debian's packages"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; } >"$WORK/apt.log" 2>&1 \
    || { say "apt-get failed (see $WORK/apt.log)"; exit 1; }
fi
[ -d "$ROOT/dist" ] || (cd "$ROOT" && npm run build --silent)

# munge: a key of its own, a socket in the work folder
mkdir -p "$WORK/munge" "$WORK/state" "$WORK/spool" "$WORK/log" "$WORK/out"
chmod 700 "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$WORK/munge/munge.key"
SOCKET="$WORK/munge/munge.socket"
munged --key-file="$WORK/munge/munge.key" --socket="$SOCKET" --pid-file="$WORK/munge/munged.pid" \
  --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/seed" --force
CPUS=$(nproc)
MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat >"$WORK/slurm.conf" <<CONF
ClusterName=dosewise-local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"

OK=0
stop() {
  # the daemons are found by the configuration and key paths they were started with
  pkill -f "$WORK/slurm.conf" 2>/dev/null || true
  pkill -f "munged --key-file=$WORK" 2>/dev/null || true
  for _ in $(seq 1 60); do
    pgrep -f "$WORK/slurm.conf|munged --key-file=$WORK" >/dev/null || break
    sleep 0.5
  done
  pkill -9 -f "$WORK/slurm.conf|munged --key-file=$WORK" 2>/dev/null || true
  # logs and shards stay for a look when the test failed
  if [ "$OK" = 1 ]; then rm -rf "$WORK"; else say "kept $WORK"; fi
}
trap stop EXIT
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 1
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || { say "the node never became ready"; tail -20 "$WORK/log/"*.log; exit 1; }
say "cluster up ($HOST, $CPUS CPUs); submitting $SHARDS shards of $N subjects"

start=$(date +%s)
(cd "$WORK/out" && DOSEWISE_N=$N DOSEWISE_SHARDS=$SHARDS DOSEWISE_OUT="$WORK/out" DOSEWISE_ROOT="$ROOT" \
  sbatch --wait --array=1-"$SHARDS" --export=ALL "$ROOT/examples/slurm/population-array.sbatch") \
  || { say "the job array failed"; cat "$WORK/out"/slurm-*.log; exit 1; }
say "job array done in $(( $(date +%s) - start )) s"
for i in $(seq 1 "$SHARDS"); do
  [ -f "$WORK/out/shards/$i/summary.json" ] || { say "shard $i wrote nothing"; cat "$WORK/out"/slurm-*.log; exit 1; }
done

cd "$ROOT"
node bin/dosewise.js merge "$WORK/out/shards/"* --out "$WORK/out/merged" >/dev/null
node bin/dosewise.js population --model examples/wb-population.model.json --regimen examples/wb-regimen.json \
  --n "$N" --seed 7 --metric auc24 --metric trough --window auc24=150:250 --out "$WORK/out/one" 2>/dev/null >/dev/null

cmp "$WORK/out/merged/subjects.csv" "$WORK/out/one/subjects.csv" || { say "merged table differs from one run"; exit 1; }
# The summaries agree except where they describe the run itself (time taken, table location,
# shard folders, and the checksum of the summary's own content, which covers those). `aggregate`,
# the state kept for later merges, is identical too: exact sums, and a mean and M2 rounded once
# from them.
node -e '
const fs = require("fs");
const strip = (f) => {
  const d = JSON.parse(fs.readFileSync(f, "utf8"));
  delete d.seconds; delete d.table; delete d.merged_from; delete d.checksum;
  return JSON.stringify(d);
};
if (strip(process.argv[1]) !== strip(process.argv[2])) { console.error("slurm test: merged summary differs from one run"); process.exit(1); }
' "$WORK/out/merged/summary.json" "$WORK/out/one/summary.json"
say "merged result of $SHARDS Slurm shards = one run: subjects.csv ($(wc -l <"$WORK/out/one/subjects.csv") lines) byte-identical, summaries identical (aggregates included)"
OK=1
