#!/usr/bin/env bash
# Katapult agent: starts the queued runs of one project on this instance, within its cpu budget.
#
# usage: agent.sh R start   make sure one agent loop runs, detached; prints "running" or "started"
#        agent.sh R stop    stop the loop, every run (ABORTED "stopped") and every environment set-up;
#                           queued runs stay queued, and nothing starts again (not even through
#                           poll.sh) before the next `start` (idempotent)
#        agent.sh R loop    the loop itself (internal: `start` launches it)
#
#   R  this instance's folder of the project, $HOME/.katapult/<project>/instances/<instance>: its
#      own even when hosts share one home (an NFS home), so that each keeps its agent and queue
#
# Environment: KATAPULT_AGENT_TICK     seconds between two passes (default 0.5); a run that ends
#                                      wakes the loop at once through the FIFO R/wake
#              KATAPULT_AGENT_IDLE     seconds without work before the loop exits (default 300)
#              KATAPULT_AGENT_PATIENCE seconds a run that does not fit may be passed by later, smaller
#                                      runs before its cpus are reserved for it (default 60)
#              KATAPULT_STOP_GRACE     seconds between TERM and KILL on `stop` (default 5)
#              KATAPULT_SHUTDOWN_COMMAND  what shuts the machine down, run with bash -c (default
#                                      `sudo -n shutdown -h now`; test hosts record the request instead)
#              KATAPULT_SPOT_EVERY     seconds between two questions for a spot interruption notice (5)
#              KATAPULT_DISK_RESERVE   bytes of free disk the rule below leaves alone, as if taken (default
#                                      0; the test suite's way to simulate a small disk)
#
# On a spot instance (R/spot, written at install), spot.sh watches for an interruption notice; after
# one, nothing starts here any more and every run is PREEMPTED (PROTOCOL.md).
#
# On a machine its provider owns (R/lifecycle says what a shutdown does to it), the loop never exits
# when idle: it judges, every few seconds with nothing to run, whether the machine shuts itself down
# (lifecycle.sh: idle stop, dead-man switch), so that this works with Katapult and its laptop gone.
#
# Layout and protocol: docs/PROTOCOL.md. States are written atomically.
# Queue entries start in name order; a run that does not fit the free cpus may be passed by later,
# smaller runs for KATAPULT_AGENT_PATIENCE seconds, after which its cpus are kept for it: scheduler.sh
# makes that choice from a snapshot, this script does everything else (the loop, environments,
# launching, lost runs, idle exit, stop). A run with private copies of uploads to make (its `copies`
# file) starts only when the free disk holds them and DISK_MARGIN more: until then it stays QUEUE,
# with the reason in its `hold` file (poll.sh reports it), and does not stop others from starting.

# The whole script is one block: bash reads all of it before running any, so replacing the file
# while it runs cannot change what runs.
{
shopt -s nullglob

R=${1:?usage: agent.sh R start|stop|loop}
R=${R%/}
BIN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || exit 1
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$BIN/lib.sh" || exit 1
# shellcheck source=scheduler.sh source-path=SCRIPTDIR
source "$BIN/scheduler.sh" || exit 1
# shellcheck source=lifecycle.sh source-path=SCRIPTDIR
source "$BIN/lifecycle.sh" || exit 1
# seconds VALUE DEFAULT: VALUE rounded up to whole seconds, DEFAULT when it is not a number
seconds() {
  local v=$1
  [[ $v =~ ^[0-9]+(\.[0-9]*)?$ ]] || v=$2
  if [[ $v == *.* ]]; then
    local frac=${v#*.}
    v=${v%%.*}
    v=${v:-0}
    [[ $frac =~ [1-9] ]] && v=$((10#$v + 1))
  fi
  echo $((10#$v))
}
# shellcheck source=spot.sh source-path=SCRIPTDIR
source "$BIN/spot.sh" || exit 1
TICK=${KATAPULT_AGENT_TICK:-0.5}
[[ $TICK =~ ^[0-9]*\.?[0-9]+$ && $TICK =~ [1-9] ]] || TICK=0.5
IDLE=$(seconds "${KATAPULT_AGENT_IDLE:-}" 300)
PATIENCE=$(seconds "${KATAPULT_AGENT_PATIENCE:-}" 60)
GRACE=$(seconds "${KATAPULT_STOP_GRACE:-}" 5)
SHUTDOWN_COMMAND=${KATAPULT_SHUTDOWN_COMMAND:-sudo -n shutdown -h now}
LIFE_EVERY=5            # seconds between two judgements of the lifecycle rule
DISK_MARGIN=$((64 * 1024 * 1024))   # bytes left free beyond a starting run's copies
DISK_RESERVE=${KATAPULT_DISK_RESERVE:-0}
[[ $DISK_RESERVE =~ ^[0-9]{1,18}$ ]] || DISK_RESERVE=0
DISK_RESERVE=$((10#$DISK_RESERVE))
NAME_RE='^[A-Za-z0-9._-]+$'

agent_alive() { stamp_alive "$R/agent.pid"; }

# queue_names: the queue entries, in byte order of their names, into Q.
queue_names() {
  local LC_ALL=C
  Q=("$R"/queue/*)
}

# env_pending DIR: an environment whose set-up has not finished.
env_pending() {
  [[ -d $1/spec && ! -e $1/.ready && ! -e $1/.failed ]]
}

# work_waiting: queue entries or unfinished environments (used before the loop exits).
work_waiting() {
  local e
  queue_names
  ((${#Q[@]})) && return 0
  for e in "$R"/envs/*/; do
    env_pending "${e%/}" && return 0
  done
  return 1
}

cmd_start() {
  if [[ -f $R/batch ]]; then
    # a Slurm login node: Slurm runs the runs, no agent loop
    echo "$AGENT_NONE"
    return 0
  fi
  rm -f "$R/stopped"
  mkdir -p "$R/queue" "$R/runs" "$R/envs" || exit 1
  if agent_alive; then
    # new work may be waiting: wake the loop now rather than at its next tick
    [[ -p $R/wake ]] && { printf '\n' 1<>"$R/wake"; } 2>/dev/null
    echo "$AGENT_RUNNING"
    return 0
  fi
  # setsid: its own session, so the loop outlives the SSH session and the caller; no
  # descriptor of the caller is kept open.
  setsid nohup bash "$BIN/agent.sh" "$R" loop </dev/null >>"$R/agent.log" 2>&1 &
  local pid=$! i
  # Return once the loop runs (or lost the lock to another one): the caller may end right after,
  # and its process group with it, which must not take a loop still on its way to setsid.
  for ((i = 0; i < 500; i++)); do
    agent_alive && break
    [[ -e /proc/$pid ]] || break
    sleep 0.01
  done
  echo "$AGENT_STARTED"
}

# batch_stop: on a Slurm login node, cancels the project's arrays; runs their tasks left unfinished
# (run.sh marks a running one stopped itself; a pending one never started) are ABORTED "stopped".
batch_stop() {
  local d
  # shellcheck source=slurm.sh source-path=SCRIPTDIR
  source "$BIN/slurm.sh" || return 1
  slurm_cancel
  for d in "$R"/runs/*/; do
    d=${d%/}
    rd "$d/state" || continue
    case $RV in
      "$ST_WAIT" | "$ST_QUEUE" | "$ST_IDLE" | "$ST_RUNNING")
        abort "$d" "$RC_STOPPED" stopped
        rm -f "$R/queue/${d##*/}"
        ;;
    esac
  done
}

# ---------------------------------------------------------------------------------------------
# the loop

declare -A ACTIVE=()    # rid -> cpus it holds (IDLE/RUNNING runs)
declare -A BLOCKED=()   # rid -> epoch since when it waits for cpus (passed by smaller runs)
declare -A NOSPEC=()    # rid -> epoch since when its environment has no spec
declare -A NOPID=()     # rid -> epoch since when this IDLE run, found at start-up, has no pid
declare -A STARTED=()   # rid -> pid of the run.sh this loop started (until run.sh writes its pid)
STOPPING=
SFD=
SPAWNED=
TOTAL=1
USED=0
SETUPS=0

# spawn CMD...: CMD in the background, in a session of its own (so it leads its process group),
# without the agent's lock and timer descriptors.
spawn() {
  if [[ -n $SFD ]]; then
    setsid "$@" </dev/null >>"$R/agent.log" 2>&1 9>&- {SFD}>&- &
  else
    setsid "$@" </dev/null >>"$R/agent.log" 2>&1 9>&- &
  fi
  SPAWNED=$!
}

# spawn_leader CMD...: spawn, then wait until CMD leads its own group (setsid done), so that its
# pid, recorded next, is never seen as dead.
spawn_leader() {
  spawn "$@"
  local i st pg
  for ((i = 0; i < 300; i++)); do
    { read -r _ _ st _ pg _ <"/proc/$SPAWNED/stat"; } 2>/dev/null || return 0
    [[ $pg == "$SPAWNED" || $st == [ZX] ]] && return 0
    ((i < 50)) || sleep 0.01
  done
}

start_setup() {
  local e=$1 n=0
  if [[ -f $e/.setup ]]; then
    # a set-up that died without a verdict (killed, or the instance rebooted): try again, twice
    rd "$e/.attempts" && [[ $RV =~ ^[0-9]+$ ]] && n=$RV
    n=$((n + 1))
    put "$e/.attempts" "$n"
    if ((n >= 3)); then
      put "$e/.failed" "set-up was interrupted $n times (see setup.log)"
      rm -f "$e/.setup"
      log "environment ${e##*/}: set-up was interrupted $n times, giving up"
      return
    fi
  fi
  spawn_leader bash "$BIN/env.sh" "$e"
  local pid=$SPAWNED
  stamp "$pid" || STAMP="$pid - $BOOT"
  put "$e/.setup" "$STAMP"
  log "environment ${e##*/}: set-up started (pid $pid)"
}

pass_envs() {
  local e
  SETUPS=0
  for e in "$R"/envs/*/; do
    e=${e%/}
    env_pending "$e" || continue
    [[ ${e##*/} =~ $NAME_RE ]] || continue
    SETUPS=$((SETUPS + 1))
    stamp_alive "$e/.setup" && continue
    start_setup "$e"
  done
}

# run_lost DIR: whether a run said IDLE/RUNNING is lost; its reason code into LOSTCODE, its prose into LOST.
run_lost() {
  local d=$1 pid
  if rd "$d/boot" && [[ -n $RV && -n $BOOT && $RV != "$BOOT" ]]; then
    LOSTCODE=$RC_LOST_REBOOT LOST="instance rebooted"
    return 0
  fi
  if ! rd "$d/pid"; then
    # IDLE without a pid: being started by this agent, or by an earlier one that died right
    # then (run.sh, if it was started, writes its pid at once)
    local rid=${d##*/}
    if [[ -n ${STARTED[$rid]:-} ]]; then
      alive "${STARTED[$rid]}" && return 1
      LOSTCODE=$RC_LOST_PROCESS LOST="process vanished"
      return 0
    fi
    [[ -n ${NOPID[$rid]:-} ]] && ((NOW - NOPID[$rid] >= 10)) || return 1
    LOSTCODE=$RC_LOST_PROCESS LOST="process vanished"
    return 0
  fi
  pid=$RV
  leader_alive "$pid" && return 1
  LOSTCODE=$RC_LOST_PROCESS LOST="process vanished"
  return 0
}

pass_active() {
  local rid d
  USED=0
  now
  for rid in "${!ACTIVE[@]}"; do
    d=$R/runs/$rid
    rd "$d/state"
    case $RV in
      "$ST_IDLE" | "$ST_RUNNING")
        if run_lost "$d"; then
          rd "$d/state"   # a run that just finished writes its state before its process ends
          if [[ ($RV == "$ST_IDLE" || $RV == "$ST_RUNNING") && -n $PREEMPTED_AT ]]; then
            preempt "$d" "spot interruption notice (instance goes away at $PREEMPTED_AT); $LOST"
            log "run $rid: $ST_PREEMPTED, $LOST"
          elif [[ $RV == "$ST_IDLE" || $RV == "$ST_RUNNING" ]]; then
            abort "$d" "$LOSTCODE" "$LOST"
            log "run $rid: $ST_ABORTED, $LOST"
            # what the run left in its process group (a group outlives its leader)
            [[ $LOSTCODE == "$RC_LOST_PROCESS" ]] && rd "$d/pid" && [[ $RV =~ ^[0-9]+$ ]] &&
              kill -KILL -- "-$RV" 2>/dev/null
          fi
          unset 'ACTIVE[$rid]' 'NOPID[$rid]' 'STARTED[$rid]'
        else
          USED=$((USED + ACTIVE[$rid]))
        fi
        ;;
      *)
        log "run $rid: ${RV:-gone}"
        unset 'ACTIVE[$rid]' 'NOPID[$rid]' 'STARTED[$rid]'
        ;;
    esac
  done
}

launch() {
  local rid=$1 need=$2 d=$R/runs/$1
  if [[ -e $d/pid || -e $d/exit || -e $d/end || -e $d/start || -e $d/reason || -e $d/reason_code || -e $d/hold ]]; then
    rm -f "$d/pid" "$d/exit" "$d/end" "$d/start" "$d/reason" "$d/reason_code" "$d/hold"
  fi
  if ((${BYTES[$rid]:-0} > 0)); then
    OWING[$rid]=${BYTES[$rid]}
    [[ -n $DISK_AVAIL && $DISK_AVAIL != - ]] && DISK_AVAIL=$((DISK_AVAIL - BYTES[$rid]))
  fi
  note "$d/boot" "$BOOT"
  put "$d/state" "$ST_IDLE"
  rm -f "$R/queue/$rid"
  # run.sh records its pid itself, once it leads its group: no wait here for setsid
  spawn "$BASH" "$BIN/run.sh" "$d"
  STARTED[$rid]=$SPAWNED
  ACTIVE[$rid]=$need
  USED=$((USED + need))
  forget "$rid"
  log "run $rid: started (pid $SPAWNED, $need cpus, $USED/$TOTAL in use)"
}

# What the loop knows of a queued run, read once: a run's folder does not change once it is
# queued, and the loop is the only writer of a queued run's state. Every pass would otherwise
# read several files of every queued run, and a pass follows every run that ends.
declare -A NEED=()      # rid -> cpus it needs
declare -A ENVOF=()     # rid -> its environment ('' for none)
declare -A SHOWN=()     # rid -> the state its state file holds (WAIT or QUEUE)
declare -A BYTES=()     # rid -> bytes of the private copies it makes when it starts
declare -A HELD=()      # rid -> what its hold file says (a run held back for disk)
declare -A OWING=()     # rid -> bytes a started run is still copying (until run.sh removes its copies file)
DISK_AVAIL=             # free bytes for the copies of runs to start, this pass ('' not asked yet, - unknown)

forget() {   # forget RID: a run that left the queue
  unset 'NEED[$1]' 'ENVOF[$1]' 'SHOWN[$1]' 'BLOCKED[$1]' 'NOSPEC[$1]' 'BYTES[$1]' 'HELD[$1]'
}

# copies_bytes DIR: the bytes of the private copies run DIR makes when it starts, into BYTES_OF.
copies_bytes() {
  local d=$1 n s names=()
  BYTES_OF=0
  [[ -s $d/copies ]] || return 0
  while IFS= read -r -d '' n; do names+=("$d/work/$n"); done <"$d/copies"
  ((${#names[@]})) || return 0
  for s in $(stat -L -c %s -- "${names[@]}" 2>/dev/null); do
    [[ $s =~ ^[0-9]+$ ]] && BYTES_OF=$((BYTES_OF + s))
  done
}

# disk_avail: the free bytes left for the copies of the runs to start (df's free, less the reserve
# and what started runs are still copying), into DISK_AVAIL once a pass; - when df cannot tell.
disk_avail() {
  [[ -n $DISK_AVAIL ]] && return 0
  local rid
  if ! disk_space "$R"; then
    DISK_AVAIL=-
    return 0
  fi
  DISK_AVAIL=$((DISK_FREE - DISK_RESERVE))
  for rid in "${!OWING[@]}"; do
    if [[ -n ${ACTIVE[$rid]:-} && -e $R/runs/$rid/copies ]]; then
      DISK_AVAIL=$((DISK_AVAIL - OWING[$rid]))
    else
      unset 'OWING[$rid]'
    fi
  done
  ((DISK_AVAIL > 0)) || DISK_AVAIL=0
}

# human BYTES: BYTES as people read them (1.5 GB, 21.0 MB, 800 kB), into HUMAN.
human() {
  local b=$1 unit=B div=1
  if ((b >= 1000000000)); then unit=GB div=1000000000
  elif ((b >= 1000000)); then unit=MB div=1000000
  elif ((b >= 1000)); then unit=kB div=1000
  fi
  if ((div == 1)); then HUMAN="$b B"; else HUMAN="$((b / div)).$((b % div * 10 / div)) $unit"; fi
}

# disk_holds RID: whether the free disk cannot hold the run's copies and the margin now; the run is
# then shown QUEUE with why in its hold file (written when the text changes), else its hold goes.
disk_holds() {
  local rid=$1 need=${BYTES[$1]:-0} why
  ((need > 0)) || return 1
  disk_avail
  if [[ $DISK_AVAIL == - ]] || ((need + DISK_MARGIN <= DISK_AVAIL)); then
    # (df cannot tell: never hold a run back on a guess)
    if [[ -n ${HELD[$rid]:-} ]]; then
      rm -f "$R/runs/$rid/hold"
      unset 'HELD[$rid]'
      log "run $rid: disk enough for its copies now"
    fi
    return 1
  fi
  human "$((need + DISK_MARGIN))"
  why="waiting for disk: needs $HUMAN"
  human "$DISK_AVAIL"
  why+=", $HUMAN free"
  if [[ ${HELD[$rid]:-} != "$why" ]]; then
    [[ -n ${HELD[$rid]:-} ]] || log "run $rid: $why"
    put "$R/runs/$rid/hold" "$why"
    HELD[$rid]=$why
  fi
  show "$rid" "$ST_QUEUE"
  return 0
}

# learn QUEUE_ENTRY: reads a queue entry's run into NEED, ENVOF and SHOWN; fails when it cannot
# start (yet): not written whole, or not a queued run (its entry is then dropped).
learn() {
  local q=$1 rid=${1##*/} d st
  d=$R/runs/$rid
  if ! [[ $rid =~ $NAME_RE ]] || ! [[ -d $d ]]; then
    log "queue entry $rid: no such run, dropped"
    rm -f "$q"
    return 1
  fi
  rd "$d/state" || return 1                  # the session is still writing this run
  [[ -f $d/cmd ]] || return 1
  st=$RV
  case $st in
    "$ST_WAIT" | "$ST_QUEUE" | '') ;;
    *)
      log "queue entry $rid: run is $st, dropped"
      rm -f "$q"
      return 1
      ;;
  esac
  SHOWN[$rid]=$st
  rd "$d/env"
  ENVOF[$rid]=$RV
  NEED[$rid]=1
  rd "$d/cpus" && [[ $RV =~ ^[0-9]+$ ]] && NEED[$rid]=$RV
  copies_bytes "$d"
  BYTES[$rid]=$BYTES_OF
  rd "$d/hold" && HELD[$rid]=$RV   # (an earlier loop's: gone once the disk holds the copies)
  return 0
}

show() {   # show RID STATE: the run's state file says STATE (written only when it changes)
  [[ ${SHOWN[$1]:-} == "$2" ]] && return 0
  put "$R/runs/$1/state" "$2"
  SHOWN[$1]=$2
}

# env_blocks RID QUEUE_ENTRY: the run's environment keeps it from starting (marked WAIT, or
# ABORTED with its entry dropped when the environment failed or never came).
env_blocks() {
  local rid=$1 q=$2 env=${ENVOF[$1]} ed
  [[ -z $env ]] && return 1
  ed=$R/envs/$env
  if ! [[ $env =~ $NAME_RE ]]; then
    abort "$R/runs/$rid" "$RC_ENV_FAILED" "environment $env failed: invalid environment name"
    rm -f "$q"
    forget "$rid"
    return 0
  fi
  if [[ -f $ed/.failed ]]; then
    rd "$ed/.failed"
    abort "$R/runs/$rid" "$RC_ENV_FAILED" "environment $env failed: ${RV:-set-up failed}"
    rm -f "$q"
    forget "$rid"
    log "run $rid: $ST_ABORTED, environment $env failed"
    return 0
  fi
  [[ -f $ed/.ready ]] && return 1
  if [[ -d $ed/spec ]]; then
    unset 'NOSPEC[$rid]'
  else
    now
    : "${NOSPEC[$rid]:=$NOW}"
    if ((NOW - NOSPEC[$rid] >= 60)); then
      abort "$R/runs/$rid" "$RC_ENV_NOT_INSTALLED" "environment $env failed: it was never installed on this instance"
      rm -f "$q"
      forget "$rid"
      return 0
    fi
  fi
  show "$rid" "$ST_WAIT"
  return 0
}

# pass_queue: learns new queue entries, keeps runs whose environment is not ready WAIT (or aborts
# them), then starts what the scheduler chooses and shows the rest QUEUE. Once a second the walk
# covers the whole queue (new runs learned, failed environments' runs aborted, patience clocks
# started); in between it stops once the runs it took in would fill the free cpus, since no run
# further on could start in this pass: the scheduler starts runs in queue order while they fit, and
# nothing after a run it keeps cpus for. A pass follows every run that ends: a whole walk each time
# made 1,000 runs cost about half a million loop bodies.
FULL_AT=-1   # the second of the last whole walk
pass_queue() {
  local q rid known env out kind need room full=0
  rd "$R/cpus" && [[ $RV =~ ^[0-9]+$ ]] && ((RV > 0)) && TOTAL=$RV
  queue_names
  now
  ((NOW == FULL_AT)) || { full=1 FULL_AT=$NOW; }
  S_RUNS=()
  DISK_AVAIL=
  room=$((TOTAL - USED))
  for q in "${Q[@]}"; do
    [[ -n $STOPPING ]] && return
    ((full || room > 0)) || break
    rid=${q##*/}
    known=1
    if [[ -z ${NEED[$rid]:-} ]]; then
      learn "$q" || continue
      known=0
    fi
    env_blocks "$rid" "$q" && continue
    disk_holds "$rid" && continue
    env=0
    [[ -n ${ENVOF[$rid]} ]] && env=1
    S_RUNS+=("$rid ${NEED[$rid]} ${BLOCKED[$rid]:--} $known $env")
    need=${NEED[$rid]}
    ((need > TOTAL)) && need=$TOTAL
    ((need > room)) || room=$((room - (need > 0 ? need : 1)))
  done
  S_TOTAL=$TOTAL S_USED=$USED S_NOW=$NOW S_PATIENCE=$PATIENCE
  while schedule && ! startable; do :; done
  for out in "${S_OUT[@]}"; do
    [[ -n $STOPPING ]] && return
    kind=${out%% *} out=${out#* }
    rid=${out%% *}
    if [[ $kind == start ]]; then
      # (the runs started before it in this pass may have taken the disk it needs)
      disk_holds "$rid" || launch "$rid" "${out#* }"
    else
      show "$rid" "$ST_QUEUE"
      BLOCKED[$rid]=${out#* }
    fi
  done
}

# startable: whether every run the scheduler chose to start is still a queued run (the loop is the
# only writer of a queued run's state, but checks before a run starts); one that is not loses its
# queue entry and leaves the snapshot, and the scheduler chooses again.
startable() {
  local out rid i dropped=0
  for out in "${S_OUT[@]}"; do
    [[ $out == start\ * ]] || continue
    rid=${out#start } rid=${rid%% *}
    rd "$R/runs/$rid/state"
    [[ $RV == "$ST_WAIT" || $RV == "$ST_QUEUE" || -z $RV ]] && continue
    log "queue entry $rid: run is $RV, dropped"
    rm -f "$R/queue/$rid"
    forget "$rid"
    for i in "${!S_RUNS[@]}"; do
      [[ ${S_RUNS[$i]%% *} == "$rid" ]] && unset 'S_RUNS[i]'
    done
    dropped=1
  done
  return "$dropped"
}

# settle_started: wait (2 s at most each) until the runs this loop started have written their
# pid: `stop` finds runs by their pid file once the loop has let go of its lock.
settle_started() {
  local rid i
  for rid in "${!STARTED[@]}"; do
    for ((i = 0; i < 200; i++)); do
      [[ -f $R/runs/$rid/pid ]] && break
      alive "${STARTED[$rid]}" || break
      sleep 0.01
    done
  done
}

# close_fds: close every descriptor but 0-2 and bash's own 255: whatever the caller of `start`
# had open (pipes of an SSH session, say) must not be held by the loop or the runs.
close_fds() {
  local fd
  for fd in "/proc/$$/fd/"*; do
    fd=${fd##*/}
    if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2 && fd != 255)); then
      { exec {fd}>&-; } 2>/dev/null
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# the machine's lifecycle

declare -A FETCHED=()   # rid -> 1: finished runs known fetched (a run fetched stays fetched)
declare -A LIFE=()      # the lifecycle file: shutdown, idle_stop, heartbeat_timeout, abandon_after
STARTED_AT=0
LIFE_AT=0
SHUTDOWN_AT=0

# read_life: R/lifecycle ("name value" lines, written by Katapult at install) into LIFE; without
# it, the machine is one the agent never shuts down.
read_life() {
  local key value
  LIFE=([shutdown]=$SD_NONE [idle_stop]=0 [heartbeat_timeout]=1800 [abandon_after]=86400)
  [[ -f $R/lifecycle ]] || return 0
  while read -r key value; do
    [[ -v LIFE[$key] && $value =~ ^[a-z0-9]+$ ]] && LIFE[$key]=$value
  done <"$R/lifecycle"
}

# owns_machine: whether a shutdown here is the agent's to decide (the provider owns the machine).
owns_machine() {
  read_life
  [[ ${LIFE[shutdown]} == "$SD_STOP" || ${LIFE[shutdown]} == "$SD_TERMINATE" ]]
}

# count_unfetched: finished runs whose results Katapult has not fetched, into UNFETCHED. A run
# aborted by a loss Katapult retries elsewhere (stopped, process vanished, reboot) is never fetched.
count_unfetched() {
  local d rid
  UNFETCHED=0
  for d in "$R"/runs/*/; do
    d=${d%/}
    rid=${d##*/}
    [[ -n ${FETCHED[$rid]:-} || $d == *.part ]] && continue
    if [[ -f $d/fetched ]]; then
      FETCHED[$rid]=1
      continue
    fi
    rd "$d/state" || continue
    case $RV in
      "$ST_DONE") ;;
      "$ST_ABORTED")
        rd "$d/reason_code"
        case $RV in "$RC_STOPPED" | "$RC_LOST_PROCESS" | "$RC_LOST_REBOOT") continue ;; esac
        ;;
      *) continue ;;
    esac
    UNFETCHED=$((UNFETCHED + 1))
  done
}

# later A B: the later of two epochs (an empty or garbled one counts as never), into LATER.
later() {
  local a=$1 b=$2
  [[ $a =~ ^[0-9]+$ ]] || a=0
  [[ $b =~ ^[0-9]+$ ]] || b=0
  LATER=$((a > b ? a : b))
}

# judge_life IDLE_SINCE: with nothing to run, applies the lifecycle rule (every LIFE_EVERY seconds);
# a shutdown is asked for once a minute at most, and recorded in R/shutdown.
judge_life() {
  now
  ((NOW - LIFE_AT >= LIFE_EVERY)) || return 0
  LIFE_AT=$NOW
  owns_machine || return 0
  count_unfetched
  rd "$R/last_fetch"
  later "$RV" "$1"
  L_IDLE_SINCE=$LATER
  # the idle clock, for poll.sh to report
  note "$R/idle_since" "$L_IDLE_SINCE"
  rd "$R/heartbeat"
  later "$RV" "$STARTED_AT"
  L_HEARTBEAT=$LATER
  L_SHUTDOWN=${LIFE[shutdown]} L_NOW=$NOW L_BUSY=0 L_UNFETCHED=$UNFETCHED
  L_IDLE_STOP=${LIFE[idle_stop]} L_HB_TIMEOUT=${LIFE[heartbeat_timeout]} L_ABANDON_AFTER=${LIFE[abandon_after]}
  lifecycle
  [[ $L_OUT == shutdown\ * ]] || return 0
  ((NOW - SHUTDOWN_AT >= 60)) || return 0
  SHUTDOWN_AT=$NOW
  put "$R/shutdown" "$NOW ${L_OUT#shutdown }"
  log "agent: shutting the machine down (${L_OUT#shutdown }; $UNFETCHED unfetched, idle since $L_IDLE_SINCE, heard from Katapult at $L_HEARTBEAT)"
  spawn bash -c "$SHUTDOWN_COMMAND"
}

cmd_loop() {
  [[ -e $R/stopped ]] && exit 0
  close_fds
  exec 9>>"$R/agent.lock" || exit 1
  flock -n 9 || exit 0
  stamp "$$"
  put "$R/agent.pid" "$STAMP"
  trap 'STOPPING=1' TERM INT HUP
  local d rid idle_since='' st
  # The loop sleeps with `read -t` on the FIFO $R/wake (no process started every tick); run.sh
  # writes a line there when a run ends, so that its cpus go to the next run at once rather than
  # at the next tick. Without a FIFO, a pipe nobody writes to.
  [[ -p $R/wake ]] || { rm -f "$R/wake"; mkfifo "$R/wake" 2>/dev/null; }
  if [[ -p $R/wake ]]; then
    exec {SFD}<>"$R/wake" || SFD=
  else
    exec {SFD}<> <(:) || SFD=
  fi
  TOTAL=$(nproc 2>/dev/null) || TOTAL=1
  now
  STARTED_AT=$NOW
  log "agent started (pid $$, tick ${TICK}s, idle ${IDLE}s)"
  # runs left IDLE/RUNNING by an earlier agent
  for d in "$R"/runs/*/; do
    d=${d%/}
    [[ $d == *.part ]] && continue     # a run folder being written by the session
    rd "$d/state" || continue
    st=$RV
    if [[ $st == "$ST_IDLE" || $st == "$ST_RUNNING" ]]; then
      rid=${d##*/}
      rd "$d/cpus"
      [[ $RV =~ ^[0-9]+$ ]] || RV=1
      ACTIVE[$rid]=$RV
      if [[ $st == "$ST_IDLE" ]] && ! [[ -f $d/pid ]]; then
        now
        NOPID[$rid]=$NOW      # an earlier agent died while starting it
      fi
    fi
  done
  while :; do
    [[ -e $R/stopped ]] && STOPPING=1
    [[ -n $STOPPING ]] && break
    # The project folder was deleted (and maybe made again) under this loop: it is no longer this
    # project's agent, and must not start runs beside the new one.
    if ! [[ $R/agent.lock -ef /proc/$$/fd/9 ]]; then
      log "agent: $R/agent.lock is not the lock this loop holds (the folder was deleted), leaving"
      exit 0
    fi
    pass_envs
    pass_active
    watch_spot
    # (pass_queue's own listing says whether work is queued: a run it started is ACTIVE now)
    if [[ -z $PREEMPTED_AT ]]; then pass_queue; else queue_names; fi
    if ((${#Q[@]} || ${#ACTIVE[@]} || SETUPS)); then
      idle_since=
      if [[ -e $R/idle_since ]]; then rm -f "$R/idle_since"; fi
    else
      now
      : "${idle_since:=$NOW}"
      judge_life "$idle_since"
      if ((NOW - idle_since >= IDLE)) && ! owns_machine; then
        # Leave, unless work arrived: a `start` that saw this agent alive wrote its work
        # before the pid file went away, so the check below sees it.
        rm -f "$R/agent.pid"
        flock -u 9
        if work_waiting && flock -n 9; then
          stamp "$$"
          put "$R/agent.pid" "$STAMP"
          idle_since=
          log "agent: work arrived, staying"
        else
          log "agent: idle for ${IDLE}s, exiting"
          exit 0
        fi
      fi
    fi
    if [[ -n $SFD ]]; then
      if read -r -t "$TICK" -u "$SFD" _; then
        # woken: take every other wake-up already there, one pass serves them all
        while read -r -t 0 -u "$SFD" && read -r -t 1 -u "$SFD" _; do :; done
      fi
    else
      sleep "$TICK"
    fi
  done
  settle_started
  local mine=
  if rd "$R/agent.pid" && [[ ${RV%% *} == "$$" ]]; then mine=1; fi
  [[ -n $mine ]] && rm -f "$R/agent.pid"
  log "agent stopped"
}

# ---------------------------------------------------------------------------------------------
# stop

# wait_gone SECONDS PID...: wait until none of these group leaders lives, or time runs out.
wait_gone() {
  local t=$1 p left deadline
  shift
  now
  deadline=$((NOW + t))
  while :; do
    left=
    for p in "$@"; do
      leader_alive "$p" && left=1
    done
    [[ -z $left ]] && return 0
    now
    ((NOW >= deadline)) && return 1
    sleep 0.05
  done
}

cmd_stop() {
  local d e st pid groups=()
  [[ -d $R ]] || return 0
  : >"$R/stopped"
  if [[ -f $R/batch ]]; then
    batch_stop
    return 0
  fi
  # The loop sees the marker (or the TERM) at its next tick and leaves; holding its lock then
  # keeps any other loop from starting while the runs are stopped.
  exec 9>>"$R/agent.lock" || return 1
  if agent_alive; then
    rd "$R/agent.pid"
    pid=${RV%% *}
    kill -TERM "$pid" 2>/dev/null
  fi
  if ! flock -w 10 9; then
    rd "$R/agent.pid" && pid=${RV%% *} && leader_alive "$pid" && kill -KILL -- "-$pid" 2>/dev/null
    flock -w 5 9 || log "agent: stop could not take the agent lock" >>"$R/agent.log"
  fi
  rm -f "$R/agent.pid"
  # runs: TERM their process groups (run.sh marks them ABORTED "stopped")
  for d in "$R"/runs/*/; do
    d=${d%/}
    rd "$d/state" || continue
    st=$RV
    [[ $st == "$ST_IDLE" || $st == "$ST_RUNNING" ]] || continue
    if rd "$d/pid" && leader_alive "$RV"; then
      kill -TERM -- "-$RV" 2>/dev/null
      groups+=("$RV")
    fi
  done
  # environment set-ups
  for e in "$R"/envs/*/; do
    e=${e%/}
    if stamp_alive "$e/.setup"; then
      rd "$e/.setup"
      pid=${RV%% *}
      kill -TERM -- "-$pid" 2>/dev/null
      groups+=("$pid")
    fi
  done
  if ((${#groups[@]})); then
    # run.sh gives its command the grace period itself; then whatever is left of each group goes
    wait_gone "$((GRACE + 2))" "${groups[@]}"
    for pid in "${groups[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  fi
  for e in "$R"/envs/*/; do
    e=${e%/}
    # an interrupted set-up stays pending: the next start sets it up again
    [[ -f $e/.setup ]] && env_pending "$e" && rm -f "$e/.setup"
  done
  for d in "$R"/runs/*/; do
    d=${d%/}
    rd "$d/state" || continue
    case $RV in "$ST_IDLE" | "$ST_RUNNING") abort "$d" "$RC_STOPPED" stopped ;; esac
  done
  log "agent: stopped" >>"$R/agent.log"
}

case ${2:-} in
  start) cmd_start ;;
  loop) cmd_loop ;;
  stop) cmd_stop ;;
  *)
    echo "usage: agent.sh R start|stop|loop" >&2
    exit "$EX_USAGE"
    ;;
esac
exit
}
