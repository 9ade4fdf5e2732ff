#!/usr/bin/env bash
# Katapult poll: everything about one project on this instance, in one call.
#
# usage: poll.sh R        every run
#        poll.sh R -      only the runs named on stdin, one run id per line (the caller's unfinished
#                         ones: a poll then costs what is still going on, not every run ever made)
#        poll.sh R - disk (or R all disk) also the disk line, after the agent line
#
# Prints one tab-separated line each ("-" for an empty field):
#   agent <TAB> running|started|none [<TAB> idle since <TAB> heard at <TAB> idle_stop <TAB> heartbeat_timeout]
#         (the four clocks only on a machine the agent may shut down)
#   disk  <TAB> free bytes <TAB> total bytes   (of R's file system, as df tells them; asked for with
#         `disk`, left out when df cannot tell)
#   env   <TAB> key <TAB> PENDING|SETUP|READY|FAILED <TAB> reason
#   run   <TAB> rid <TAB> state <TAB> exit <TAB> start <TAB> end <TAB> reason <TAB> reason code
# A run said IDLE/RUNNING whose process is gone, or that ran before a reboot, is recorded ABORTED
# here (LOST_PROCESS "process vanished", LOST_REBOOT "instance rebooted"). docs/PROTOCOL.md is the spec. When work is waiting (queue entries, IDLE/RUNNING
# runs, pending set-ups) and no agent runs, it starts one ("started"), unless `agent.sh R stop`
# stopped this project and no `start` came since. Every poll refreshes R/heartbeat (Katapult spoke).
# On a Slurm login node (R/batch) no agent runs: slurm.sh judges the runs by what squeue says of
# their tasks, and a pending run's reason field says why Slurm holds it. Elsewhere a queued run's
# reason field says why the agent holds it back, if it does (its hold file: waiting for disk).

# The whole script is one block: bash reads all of it before running any, so replacing the file
# while it runs cannot change what runs.
{
shopt -s nullglob

R=${1:?usage: poll.sh R}
R=${R%/}
BIN=${BASH_SOURCE[0]%/*}
[[ $BIN == "${BASH_SOURCE[0]}" ]] && BIN=.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$BIN/lib.sh" || exit 1

# Katapult speaks: the heartbeat the agent's dead-man switch reads (the one before, reported below)
HEARD=
if [[ -d $R ]]; then rd "$R/heartbeat" && HEARD=$RV; now; note "$R/heartbeat" "$NOW"; fi

# f VALUE: VALUE as one field, into F
f() {
  F=${1//$'\t'/ }
  F=${F//$'\n'/ }
  F=${F//$'\r'/}
  [[ -n $F ]] || F=-
}

# a Slurm login node (R/batch): Slurm runs the runs, one squeue call tells what became of them
BATCH=
SL_REASON=
if [[ -f $R/batch ]]; then
  BATCH=1
  # shellcheck source=slurm.sh source-path=SCRIPTDIR
  source "$BIN/slurm.sh" || exit 1
  slurm_load
fi

AGENT=
stamp_alive "$R/agent.pid" && AGENT=$AGENT_RUNNING
WORK=
OUT=

for e in "$R"/envs/*/; do
  e=${e%/}
  key=${e##*/}
  reason=
  if [[ -f $e/.ready ]]; then
    st=$ENV_READY
  elif [[ -f $e/.failed ]]; then
    st=$ENV_FAILED
    rd "$e/.failed"
    reason=$RV
  elif [[ -d $e/spec ]]; then
    if stamp_alive "$e/.setup"; then st=$ENV_SETUP; else st=$ENV_PENDING; fi
    WORK=1
  else
    continue
  fi
  f "$key"
  k=$F
  f "$reason"
  OUT+="env	$k	$st	$F"$'\n'
done

DIRS=()
if [[ ${2:-} == - ]]; then
  # (mapfile reads stdin in one go; a read per line costs a system call per byte of a pipe)
  mapfile -t RIDS
  for rid in "${RIDS[@]}"; do
    rid=${rid%$'\r'}
    # a run id names a folder of runs/, nothing else
    [[ $rid =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ && -d $R/runs/$rid ]] && DIRS+=("$R/runs/$rid")
  done
else
  DIRS=("$R"/runs/*/)
fi

for d in "${DIRS[@]}"; do
  d=${d%/}
  [[ $d == *.part ]] && continue   # a run folder being written by the session
  rd "$d/state" || continue
  st=$RV
  if [[ -z $BATCH && ($st == "$ST_QUEUE" || $st == "$ST_WAIT") ]]; then
    # (most runs of a big project wait: their line is made without the checks below, which
    # concern IDLE, RUNNING and finished runs; a poll read 1,000 of them in 0.33 s, now 0.2 s)
    start=- reason=-
    rd "$d/start" && { f "$RV"; start=$F; }
    [[ $st == "$ST_QUEUE" ]] && rd "$d/hold" && { f "$RV"; reason=$F; }
    f "${d##*/}"
    OUT+="run	$F	$st	-	$start	-	$reason	-"$'\n'
    continue
  fi
  if [[ -n $BATCH ]]; then
    # (a run's pid and boot are a compute node's: Slurm, not this machine, knows whether it lives)
    code=
    [[ $st == "$ST_ABORTED" ]] && rd "$d/reason_code" && code=$RV
    slurm_check "$d" "$st" "$code"
    st=$ST
  elif [[ $st == "$ST_IDLE" || $st == "$ST_RUNNING" ]]; then
    lost=
    if rd "$d/boot" && [[ -n $RV && -n $BOOT && $RV != "$BOOT" ]]; then
      lost="instance rebooted" lostcode=$RC_LOST_REBOOT
    elif rd "$d/pid"; then
      pid=$RV
      if ! leader_alive "$pid"; then
        lost="process vanished" lostcode=$RC_LOST_PROCESS
        # what the run left behind in its process group (a group outlives its leader)
        [[ $pid =~ ^[0-9]+$ ]] && kill -KILL -- "-$pid" 2>/dev/null
      fi
    fi
    # (IDLE without a pid: an agent is starting it, or died doing so; the agent, started below
    # when none runs, tells which)
    if [[ -n $lost ]]; then
      rd "$d/state"   # a run that just finished writes its state before its process ends
      st=$RV
      if [[ ($st == "$ST_IDLE" || $st == "$ST_RUNNING") && -f $R/preempted ]]; then
        # its instance got a spot interruption notice: the run goes elsewhere, as the agent would say
        rd "$R/preempted"
        put "$d/reason_code" "$RC_PREEMPTED"
        put "$d/reason" "spot interruption notice (instance goes away at $RV); $lost"
        [[ -f $d/end ]] || { now; put "$d/end" "$NOW"; }
        put "$d/state" "$ST_PREEMPTED"
        st=$ST_PREEMPTED
      elif [[ $st == "$ST_IDLE" || $st == "$ST_RUNNING" ]]; then
        abort "$d" "$lostcode" "$lost"
        st=$ST_ABORTED
      fi
    else
      WORK=1
    fi
  fi
  ex=
  start=
  end=
  reason=
  code=
  rd "$d/start" && start=$RV
  if [[ $st == "$ST_DONE" || $st == "$ST_ABORTED" || $st == "$ST_PREEMPTED" ]]; then
    rd "$d/exit" && ex=$RV
    rd "$d/end" && end=$RV
    rd "$d/reason" && reason=$RV
    rd "$d/reason_code" && code=$RV
  elif [[ -n $BATCH ]]; then
    reason=$SL_REASON
  elif [[ $st == "$ST_QUEUE" ]]; then
    rd "$d/hold" && reason=$RV
  fi
  f "${d##*/}"
  line="run	$F"
  f "$st"
  line+="	$F"
  f "$ex"
  line+="	$F"
  f "$start"
  line+="	$F"
  f "$end"
  line+="	$F"
  f "$reason"
  line+="	$F"
  f "$code"
  OUT+="$line	$F"$'\n'
done

if [[ -z $AGENT ]]; then
  AGENT=$AGENT_NONE
  if [[ -z $WORK ]]; then
    q=("$R"/queue/*)
    ((${#q[@]})) && WORK=1
  fi
  if [[ -n $WORK && ! -e $R/stopped && -z $BATCH ]]; then
    AGENT=$(bash "$BIN/agent.sh" "$R" start) || AGENT=$AGENT_NONE
    [[ -n $AGENT ]] || AGENT=$AGENT_NONE
  fi
fi

# the lifecycle clocks, only on a machine the agent may shut down: since when it is idle (as the
# agent noted it), when Katapult spoke before this poll, and the delays they are held against
IDLE_SINCE='' IDLE_STOP='' HB_TIMEOUT='' OWNED=''
if [[ -f $R/lifecycle ]]; then
  while read -r key value; do
    case $key in
      shutdown) [[ $value == "$SD_STOP" || $value == "$SD_TERMINATE" ]] && OWNED=1 ;;
      idle_stop) IDLE_STOP=$value ;;
      heartbeat_timeout) HB_TIMEOUT=$value ;;
    esac
  done <"$R/lifecycle"
fi
CLOCKS=
if [[ -n $OWNED ]]; then
  rd "$R/idle_since" && IDLE_SINCE=$RV
  for v in "$IDLE_SINCE" "$HEARD" "$IDLE_STOP" "$HB_TIMEOUT"; do
    [[ $v =~ ^[0-9]+$ ]] || v=-
    CLOCKS+="	$v"
  done
fi

DISK=
if [[ ${3:-} == disk ]] && disk_space "$R"; then
  DISK="disk	$DISK_FREE	$DISK_TOTAL"$'\n'
fi

printf 'agent\t%s%s\n%s%s' "$AGENT" "$CLOCKS" "$DISK" "$OUT"
exit
}
