#!/usr/bin/env bash
# A standalone Flink 1.19 session cluster on this machine, from Maven artifacts (no Flink tarball):
# one JobManager (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each
# its own JVM with a pid file and a log under the work dir, REST on localhost.
#
#   runner-configs/flink/cluster.sh start [--taskmanagers N] [--rest-port P] [--rpc-port P]
#                                         [--prom-ports A-B] [--slots N] [--work-dir DIR]
#   runner-configs/flink/cluster.sh status | stop
#   runner-configs/flink/cluster.sh start-taskmanager        # one more TaskManager
#   runner-configs/flink/cluster.sh kill-taskmanager [N]     # kill -9 TaskManager N (default: the oldest alive)
#   runner-configs/flink/cluster.sh stop-job JOB_ID [--drain] # stop with a savepoint (POST /jobs/JOB_ID/stop)
#   runner-configs/flink/cluster.sh classpath                # the cluster's class path
#
# The work dir (default /tmp/gong-flink, or $GONG_FLINK_WORK) holds conf/ (flink-conf.yaml from this
# directory with the ports and directories above), logs/, pids/, checkpoints/ and savepoints/; every
# later sub-command finds the cluster through it. The class path comes from ./pom.xml through
# `mvn dependency:build-classpath` (offline first, then online), cached in the work dir.
#
# TaskManagers inherit this shell's environment: export GONG_ACCESS_KEY / GONG_ACCESS_KEY_SECRET
# before `start` (or pass --gongCredentialsFile=PATH readable by the TaskManagers to the job).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${GONG_FLINK_WORK:-/tmp/gong-flink}"
TASKMANAGERS=1
REST_PORT=""
RPC_PORT=""
PROM_PORTS=""
SLOTS=""
DRAIN=false
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# What Flink's own scripts pass on Java 17 (env.java.default-opts.all of the 1.19 distribution).
JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

parse_opts() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
      --rest-port) REST_PORT="$2"; shift 2 ;;
      --rpc-port) RPC_PORT="$2"; shift 2 ;;
      --prom-ports) PROM_PORTS="$2"; shift 2 ;;
      --slots) SLOTS="$2"; shift 2 ;;
      --work-dir) WORK="$2"; shift 2 ;;
      --drain) DRAIN=true; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
}

conf() { echo "$WORK/conf/flink-conf.yaml"; }

# The value of a key in the cluster's flink-conf.yaml.
conf_get() { sed -n "s/^$1:[[:space:]]*//p" "$(conf)" | tail -1; }

# Sets a key in the cluster's flink-conf.yaml (replacing any earlier line for it).
conf_set() {
  local f; f="$(conf)"
  grep -v "^$1:" "$f" > "$f.tmp" || true
  echo "$1: $2" >> "$f.tmp"
  mv "$f.tmp" "$f"
}

# "1536m" -> 1536 (megabytes); only the m/g suffixes used in flink-conf.yaml.
mb() {
  local v="$1"
  case "$v" in
    *g) echo $(( ${v%g} * 1024 )) ;;
    *m) echo "${v%m}" ;;
    *) die "unsupported memory size '$v' (use m or g)" ;;
  esac
}

rest_url() { echo "http://localhost:$(conf_get rest.port)"; }

classpath() {
  local cache="$WORK/classpath.txt"
  if [[ ! -s "$cache" || "$HERE/pom.xml" -nt "$cache" ]]; then
    mkdir -p "$WORK"
    local mvn=(mvn -B -q -ntp -f "$HERE/pom.xml" dependency:build-classpath
      "-Dmdep.outputFile=$cache")
    "${mvn[@]}" -o >/dev/null 2>&1 || "${mvn[@]}" >&2 \
      || die "could not resolve the Flink class path with Maven"
  fi
  cat "$cache"
}

# True if the pid file's process runs (a killed one not yet reaped, state Z, does not count).
alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null || return 1
  local state
  state="$(ps -o stat= -p "$(cat "$1")" 2>/dev/null || true)"
  [[ "$state" != Z* ]]
}

start_jobmanager() {
  local pidf="$WORK/pids/jobmanager.pid"
  alive "$pidf" && die "a JobManager is already running (pid $(cat "$pidf")); stop it first"
  nohup "$JAVA" -Xms512m -Xmx768m "${JAVA_OPENS[@]}" \
    -Dlog.file="$WORK/logs/jobmanager.log" \
    -cp "$(classpath)" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$WORK/conf" > "$WORK/logs/jobmanager.log" 2>&1 < /dev/null &
  echo $! > "$pidf"
  echo "JobManager pid $! (log $WORK/logs/jobmanager.log)"
}

start_taskmanager() {
  local n=1
  while [[ -f "$WORK/pids/taskmanager-$n.pid" ]]; do n=$((n + 1)); done
  local heap direct meta
  heap=$(( $(mb "$(conf_get taskmanager.memory.framework.heap.size)") \
    + $(mb "$(conf_get taskmanager.memory.task.heap.size)") ))
  direct=$(( $(mb "$(conf_get taskmanager.memory.framework.off-heap.size)") \
    + $(mb "$(conf_get taskmanager.memory.task.off-heap.size)") \
    + $(mb "$(conf_get taskmanager.memory.network.max)") ))
  meta=$(mb "$(conf_get taskmanager.memory.jvm-metaspace.size)")
  nohup "$JAVA" "-Xms${heap}m" "-Xmx${heap}m" "-XX:MaxDirectMemorySize=${direct}m" \
    "-XX:MaxMetaspaceSize=${meta}m" "${JAVA_OPENS[@]}" \
    -Dlog.file="$WORK/logs/taskmanager-$n.log" \
    -cp "$(classpath)" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$WORK/conf" > "$WORK/logs/taskmanager-$n.log" 2>&1 < /dev/null &
  echo $! > "$WORK/pids/taskmanager-$n.pid"
  echo "TaskManager $n pid $! (log $WORK/logs/taskmanager-$n.log)"
}

overview() { curl -sf --max-time 5 "$(rest_url)/overview"; }

# Waits until /overview shows at least $1 TaskManagers with all their slots registered.
wait_for_taskmanagers() {
  local want="$1" deadline=$(( SECONDS + 120 )) o=""
  while (( SECONDS < deadline )); do
    alive "$WORK/pids/jobmanager.pid" || die "the JobManager died; see $WORK/logs/jobmanager.log"
    if o="$(overview 2>/dev/null)"; then
      local tms slots
      tms="$(echo "$o" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')"
      slots="$(echo "$o" | sed -n 's/.*"slots-total":\([0-9]*\).*/\1/p')"
      if [[ -n "$tms" && "$tms" -ge "$want" && "${slots:-0}" -ge \
          $(( want * $(conf_get taskmanager.numberOfTaskSlots) )) ]]; then
        echo "cluster up at $(rest_url): $o"
        return 0
      fi
    fi
    sleep 1
  done
  die "no $want TaskManager(s) within 120 s (last /overview: ${o:-none}); logs in $WORK/logs"
}

cmd_start() {
  mkdir -p "$WORK/conf" "$WORK/logs" "$WORK/pids" "$WORK/checkpoints" "$WORK/savepoints"
  alive "$WORK/pids/jobmanager.pid" && die "already running (work dir $WORK); stop it first"
  rm -f "$WORK"/pids/*.pid
  cp "$HERE/flink-conf.yaml" "$(conf)"
  [[ -n "$REST_PORT" ]] && conf_set rest.port "$REST_PORT"
  [[ -n "$RPC_PORT" ]] && conf_set jobmanager.rpc.port "$RPC_PORT"
  [[ -n "$PROM_PORTS" ]] && conf_set metrics.reporter.prom.port "$PROM_PORTS"
  [[ -n "$SLOTS" ]] && conf_set taskmanager.numberOfTaskSlots "$SLOTS" \
    && conf_set taskmanager.cpu.cores "$SLOTS"
  conf_set state.checkpoints.dir "file://$WORK/checkpoints"
  conf_set state.savepoints.dir "file://$WORK/savepoints"
  conf_set io.tmp.dirs "$WORK/tmp"
  mkdir -p "$WORK/tmp"
  classpath > /dev/null
  start_jobmanager
  for _ in $(seq 1 "$TASKMANAGERS"); do start_taskmanager; done
  wait_for_taskmanagers "$TASKMANAGERS"
}

cmd_status() {
  local f
  for f in "$WORK"/pids/*.pid; do
    [[ -e "$f" ]] || { echo "no cluster in $WORK"; return 1; }
    local name prom
    name="$(basename "$f" .pid)"
    prom="$(sed -n 's/.*Started PrometheusReporter HTTP server on port \([0-9]*\).*/\1/p' \
      "$WORK/logs/$name.log" 2>/dev/null | tail -1)"
    if alive "$f"; then echo "$name: pid $(cat "$f") running${prom:+, metrics on :$prom/metrics}"
    else echo "$name: pid $(cat "$f") not running"; fi
  done
  overview && echo
}

cmd_stop() {
  local f pids=()
  for f in "$WORK"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    alive "$f" && { kill "$(cat "$f")" 2>/dev/null || true; pids+=("$(cat "$f")"); }
  done
  local deadline=$(( SECONDS + 30 )) p
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  done
  rm -f "$WORK"/pids/*.pid
  echo "stopped ${#pids[@]} process(es)"
}

cmd_kill_taskmanager() {
  local f="" n="${1:-}"
  if [[ -n "$n" ]]; then
    f="$WORK/pids/taskmanager-$n.pid"
  else
    for c in $(ls "$WORK"/pids/taskmanager-*.pid 2>/dev/null | sort -V); do
      alive "$c" && { f="$c"; break; }
    done
  fi
  [[ -n "$f" ]] && alive "$f" || die "no live TaskManager ${n:+$n }to kill"
  kill -9 "$(cat "$f")"
  echo "killed $(basename "$f" .pid) (pid $(cat "$f")) with SIGKILL"
}

cmd_stop_job() {
  local job="$1"
  local body
  body="{\"drain\": $DRAIN, \"targetDirectory\": \"file://$WORK/savepoints\"}"
  local trigger
  trigger="$(curl -sf -X POST -H 'Content-Type: application/json' -d "$body" \
    "$(rest_url)/jobs/$job/stop")" || die "POST /jobs/$job/stop failed"
  local id
  id="$(echo "$trigger" | sed -n 's/.*"request-id":"\([^"]*\)".*/\1/p')"
  echo "stop-with-savepoint requested (drain=$DRAIN), trigger $id"
  local deadline=$(( SECONDS + 300 )) s
  while (( SECONDS < deadline )); do
    s="$(curl -sf "$(rest_url)/jobs/$job/savepoints/$id" || true)"
    case "$s" in
      *'"COMPLETED"'*) echo "$s"; return 0 ;;
    esac
    sleep 1
  done
  die "savepoint not completed within 300 s: $s"
}

main() {
  [[ $# -ge 1 ]] || { usage; exit 2; }
  local cmd="$1"; shift
  case "$cmd" in
    start) parse_opts "$@"; cmd_start ;;
    stop) parse_opts "$@"; cmd_stop ;;
    status) parse_opts "$@"; cmd_status ;;
    start-taskmanager)
      parse_opts "$@"
      alive "$WORK/pids/jobmanager.pid" || die "no JobManager running in $WORK"
      start_taskmanager ;;
    kill-taskmanager)
      local n=""
      if [[ $# -gt 0 && "$1" != --* ]]; then n="$1"; shift; fi
      parse_opts "$@"; cmd_kill_taskmanager "$n" ;;
    stop-job)
      [[ $# -ge 1 ]] || die "stop-job needs a job id"
      local job="$1"; shift
      parse_opts "$@"; cmd_stop_job "$job" ;;
    classpath) parse_opts "$@"; classpath ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
