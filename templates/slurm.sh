# shellcheck shell=bash
# Katapult on a Slurm login node: what poll.sh and agent.sh do instead of watching processes, when the
# instance's folder R has a `batch` file (its runs go to Slurm as job arrays, no agent runs them).
# Sourced after lib.sh, never run. docs/PROTOCOL.md ("Batch schedulers") is the spec.
#
# R/arrays/<name>.rids lists an array's runs (task i runs line i+1), R/arrays/<name>.job its job id.

declare -A SL_TASK=()    # rid -> <array job id>_<task>
declare -A SL_STATE=()   # <array job id>_<task> -> CODE|STATE|REASON, as one squeue call saw it (CODE:
                         # squeue's compact state, PD R CG TO CA...; STATE: its long name, for people)
SL_JOBS=()               # the array job ids of R
SL_OK=                   # set when squeue answered: without it, nothing is judged
SL_ACCT=                 # set once sacct was asked (at most once a poll)

# slurm_load: the arrays of R and, in one squeue call, what Slurm says of their tasks (finished
# ones too, while Slurm keeps them).
slurm_load() {
  local f name job i rid key rest
  for f in "$R"/arrays/*.job; do
    [[ -f $f ]] || continue
    name=${f##*/}
    name=${name%.job}
    if ! rd "$f" || [[ ! $RV =~ ^[0-9]+$ ]]; then continue; fi
    job=$RV
    SL_JOBS+=("$job")
    i=0
    while IFS= read -r rid || [[ -n $rid ]]; do
      SL_TASK[$rid]=${job}_$i
      i=$((i + 1))
    done <"$R/arrays/$name.rids"
  done
  ((${#SL_JOBS[@]})) || return 0
  local out
  out=$(squeue -h -r -t all -u "$(id -un)" -o '%F_%K|%t|%T|%r' 2>/dev/null) || return 0
  SL_OK=1
  while IFS='|' read -r key rest; do
    [[ -n $key ]] && SL_STATE[$key]=$rest
  done <<<"$out"
}

# slurm_sacct: what accounting says of the tasks squeue no longer shows, in one sacct call (asked once,
# and only when such a task matters; nothing when accounting is off: sacct then fails).
slurm_sacct() {
  [[ -z $SL_ACCT ]] || return 0
  SL_ACCT=1
  command -v sacct >/dev/null 2>&1 || return 0
  local out key state code
  out=$(sacct -n -P -X -j "$(IFS=,; echo "${SL_JOBS[*]}")" -o JobID,State 2>/dev/null) || return 0
  while IFS='|' read -r key state; do
    [[ $key =~ ^[0-9]+_[0-9]+$ && -z ${SL_STATE[$key]:-} ]] || continue
    state=${state%% *}   # "CANCELLED by 1000"
    # Slurm's state names, lower-cased: several (RUNNING, PREEMPTED) are also Katapult's own words
    case ${state,,} in
      pending) code=PD ;;
      running) code=R ;;
      requeued) code=RQ ;;
      suspended) code=S ;;
      completed) code=CD ;;
      failed) code=F ;;
      timeout) code=TO ;;
      cancelled) code=CA ;;
      node_fail) code=NF ;;
      preempted) code=PR ;;
      boot_fail) code=BF ;;
      deadline) code=DL ;;
      out_of_memory) code=OOM ;;
      *) code=- ;;
    esac
    SL_STATE[$key]="$code|$state|"
  done <<<"$out"
}

# slurm_check D ST CODE: judges run folder D (state ST, reason code CODE) by its task's Slurm state
# (squeue's, else accounting's). Sets ST to what to report and SL_REASON to a pending task's reason; a
# run its task left unfinished is ABORTED here: a time or memory limit with SCHEDULER (not retried),
# anything else as lost (retried), except a task whose node failed or that another job preempted:
# that run is PREEMPTED (placed again without taking an attempt). A run that run.sh marked stopped
# while Slurm still ends its task is reported RUNNING until Slurm tells why (a time limit TERMs it first).
slurm_check() {
  local d=$1 key code state reason rest
  SL_REASON=
  ST=$2
  # the task that claimed the run, else the last array naming it
  if rd "$d/slurm_task" && [[ $RV =~ ^[0-9]+_[0-9]+$ ]]; then key=$RV; else key=${SL_TASK[${d##*/}]:-}; fi
  [[ -n $SL_OK && -n $key ]] || return 0
  case $ST in
    "$ST_WAIT" | "$ST_QUEUE" | "$ST_IDLE" | "$ST_RUNNING") ;;
    "$ST_ABORTED") [[ $3 == "$RC_STOPPED" ]] || return 0 ;;
    *) return 0 ;;
  esac
  [[ -n ${SL_STATE[$key]:-} ]] || slurm_sacct
  if [[ -n ${SL_STATE[$key]:-} ]]; then
    code=${SL_STATE[$key]%%|*}
    rest=${SL_STATE[$key]#*|}
    state=${rest%%|*}
    reason=${rest#*|}
  else
    code=- state="no longer known" reason=
  fi
  case $code in
    PD | RQ | RH | RF | RD | S)   # pending, requeued, held, suspended
      # shellcheck disable=SC2034  # read by poll.sh
      if [[ $ST == "$ST_WAIT" || $ST == "$ST_QUEUE" ]]; then SL_REASON="Slurm: pending ($reason)"; fi
      ;;
    R | CF | CG | SO | SI | RS)   # running, configuring, completing, staging out, signaling, resizing
      if [[ $ST == "$ST_ABORTED" ]]; then ST=$ST_RUNNING; fi
      ;;
    TO | DL | OOM)   # time limit, deadline, out of memory
      slurm_abort "$d" "$RC_SCHEDULER" "Slurm: $state (${reason:-limit reached}) in task $key"
      ;;
    NF | PR | BF)   # its node failed (or never booted), or another job preempted it
      slurm_preempt "$d" "$key" "Slurm: $state in task $key"
      ;;
    CA)   # cancelled
      if [[ $ST != "$ST_ABORTED" ]]; then slurm_abort "$d" "$RC_STOPPED" "stopped (Slurm: CANCELLED, task $key)"; fi
      ;;
    *)
      if [[ $ST != "$ST_ABORTED" ]]; then slurm_abort "$d" "$RC_LOST_PROCESS" "process vanished (Slurm: $state, task $key)"; fi
      ;;
  esac
  return 0
}

# slurm_abort D CODE REASON: ABORTED, as abort does, after re-reading the state (run.sh may have
# just finished it).
slurm_abort() {
  rd "$1/state"
  if [[ $RV == "$ST_DONE" ]] || { [[ $RV == "$ST_ABORTED" ]] && rd "$1/reason_code" && [[ $RV != "$RC_STOPPED" ]]; }; then
    rd "$1/state"
    ST=$RV
    return 0
  fi
  abort "$1" "$2" "$3"
  ST=$ST_ABORTED
}

# slurm_preempt D TASK REASON: PREEMPTED, so that Katapult places the run again without taking an
# attempt, after cancelling TASK (Slurm must not start it again too) and re-reading the state (run.sh
# may have just finished it).
slurm_preempt() {
  rd "$1/state"
  if [[ $RV == "$ST_DONE" || $RV == "$ST_PREEMPTED" ]] || { [[ $RV == "$ST_ABORTED" ]] && rd "$1/reason_code" && [[ $RV != "$RC_STOPPED" ]]; }; then
    rd "$1/state"
    ST=$RV
    return 0
  fi
  scancel "$2" 2>/dev/null
  put "$1/reason_code" "$RC_PREEMPTED"
  put "$1/reason" "$3; placed again"
  [[ -f $1/end ]] || { now; put "$1/end" "$NOW"; }
  put "$1/state" "$ST_PREEMPTED"
  ST=$ST_PREEMPTED
}

# slurm_cancel: cancels every array of R (what `agent.sh R stop` does on a login node) and waits,
# 30 s at most, until Slurm has ended their tasks.
slurm_cancel() {
  slurm_load
  ((${#SL_JOBS[@]})) || return 0
  scancel "${SL_JOBS[@]}" 2>/dev/null
  local i
  for ((i = 0; i < 60; i++)); do
    # (squeue's default shows the jobs not ended: pending, running, completing, suspended)
    squeue -h -j "$(IFS=,; echo "${SL_JOBS[*]}")" -o %i 2>/dev/null \
      | grep -q . || return 0
    sleep 0.5
  done
}
