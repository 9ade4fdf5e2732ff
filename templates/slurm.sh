# shellcheck shell=bash
# Katapult on a Slurm login node: what poll.sh and agent.sh do instead of watching processes, when the
# instance's folder R has a `batch` file (its runs go to Slurm as job arrays, no agent runs them).
# Sourced after lib.sh, never run. docs/PROTOCOL.md ("Batch schedulers") is the spec.
#
# R/arrays/<name>.rids lists an array's runs (task i runs line i+1), R/arrays/<name>.job its job id;
# R/envs/<key>/.job is the job id of that environment's set-up job (slurm-task.sh --env).

declare -A SL_TASK=()    # rid -> <array job id>_<task>
declare -A SL_STATE=()   # <array job id>_<task> -> CODE|STATE|REASON, as one squeue call saw it (CODE:
                         # squeue's compact state, PD R CG TO CA...; STATE: its long name, for people)
SL_JOBS=()               # the array job ids of R
SL_SETUPS=()             # the set-up job ids of R's environments without a verdict
SL_OK=                   # set when squeue answered: without it, nothing is judged
SL_ACCT=                 # set once sacct was asked (at most once a poll)

# slurm_load: the arrays of R and, in one squeue call, what Slurm says of their tasks (finished
# ones too, while Slurm keeps them) and of the environments' set-up jobs, which it then judges.
slurm_load() {
  local f name job i rid key rest e settled done_arrays=()
  for e in "$R"/envs/*/; do
    e=${e%/}
    if [[ ! -f $e/.ready && ! -f $e/.failed ]] && rd "$e/.job" && [[ $RV =~ ^[0-9]+$ ]]; then SL_SETUPS+=("$RV"); fi
  done
  for f in "$R"/arrays/*.job; do
    [[ -f $f ]] || continue
    name=${f##*/}
    name=${name%.job}
    if ! rd "$f" || [[ ! $RV =~ ^[0-9]+$ ]]; then continue; fi
    job=$RV
    SL_JOBS+=("$job")
    i=0
    settled=1
    while IFS= read -r rid || [[ -n $rid ]]; do
      SL_TASK[$rid]=${job}_$i
      i=$((i + 1))
      if [[ -n $settled ]] && ! { [[ -f $R/runs/$rid/fetched ]] && rd "$R/runs/$rid/state" \
        && [[ $RV == "$ST_DONE" || $RV == "$ST_ABORTED" ]]; }; then settled=; fi
    done <"$R/arrays/$name.rids"
    [[ -z $settled ]] || done_arrays+=("$name $job $i")
  done
  ((${#SL_JOBS[@]} + ${#SL_SETUPS[@]})) || return 0
  local out
  out=$(squeue -h -r -t all -u "$(id -un)" -o '%F_%K|%t|%T|%r' 2>/dev/null) || return 0
  SL_OK=1
  while IFS='|' read -r key rest; do
    [[ -n $key ]] && SL_STATE[$key]=$rest
  done <<<"$out"
  for f in "${done_arrays[@]}"; do
    # shellcheck disable=SC2086  # "name job tasks"
    slurm_tidy $f
  done
  for e in "$R"/envs/*/; do
    slurm_setup_check "${e%/}"
  done
}

# slurm_tidy NAME JOB TASKS: forgets array NAME (its .rids, .job and Slurm's logs of its tasks) once
# every run of it is finished and fetched and Slurm runs none of its tasks any more: its runs are
# never submitted again, and a poll then reads only the arrays still at work.
slurm_tidy() {
  local i code
  for ((i = 0; i < $3; i++)); do
    code=${SL_STATE[${2}_$i]:-}
    case ${code%%|*} in
      PD | R | CF | CG | S | RQ | RH | RF | RD | SO | SI | RS) return 0 ;;
    esac
  done
  rm -f "$R/arrays/$1.job" "$R/arrays/$1.rids" "$R/arrays/slurm-${2}_"*.log
}

# slurm_setup_check E: an environment whose set-up job ended without env.sh's verdict (a time
# limit, its node lost, killed) failed, saying what Slurm said; one cancelled (stop) is forgotten,
# so that the next deploy submits it again.
slurm_setup_check() {
  local e=$1 job code rest
  [[ ! -f $e/.ready && ! -f $e/.failed ]] && rd "$e/.job" && [[ $RV =~ ^[0-9]+$ ]] || return 0
  job=$RV
  # (a job that is no array shows as JOB_N/A)
  rest=${SL_STATE[${job}_N/A]:-}
  code=${rest%%|*}
  case $code in
    PD | R | CF | CG | S | RQ | RH | RF | RD | SO | SI | RS) return 0 ;;
  esac
  # it ended: env.sh wrote its verdict before it did, unless it was stopped short
  [[ ! -f $e/.ready && ! -f $e/.failed ]] || return 0
  if [[ $code == CA ]]; then
    rm -f "$e/.job"
    return 0
  fi
  rest=${rest#*|}
  rest=${rest%%|*}
  put "$e/.failed" "set-up job $job ended without a verdict (Slurm: ${rest:-job no longer known}; see setup.log)"
}

# slurm_needs RID...: the --dependency option of an array of the runs RID... (printed; nothing when
# it need not wait): afterok on its environment's set-up job while that runs, and on the Slurm task of
# each upstream run its runs wait for (R/runs/RID/after, R/runs/RID/upstream) that is not DONE. Fails when the
# environment's set-up failed: nothing is to be submitted.
slurm_needs() {
  local env='' e rid from
  local -A seen=()
  local after=()
  rd "$R/runs/$1/env" && env=$RV
  e=$R/envs/$env
  if [[ -n $env && ! -f $e/.ready ]]; then
    [[ ! -f $e/.failed ]] || return 1
    # (the marker read again: a set-up that just ended well needs no dependency)
    if rd "$e/.job" && [[ $RV =~ ^[0-9]+$ && ! -f $e/.ready ]]; then after+=("$RV"); fi
  fi
  for rid in "$@"; do
    # (a folder written before `after` files existed names its upstream runs only in `upstream`)
    for from in $(slurm_awaited "$R/runs/$rid"); do
      [[ -z ${seen[$from]:-} ]] || continue
      seen[$from]=1
      rd "$R/runs/$from/state" && [[ $RV == "$ST_DONE" ]] && continue
      slurm_task_of "$from" && after+=("$TASK_OF")
    done
  done
  ((${#after[@]})) || return 0
  echo "--dependency=afterok:$(IFS=:; echo "${after[*]}")"
}

# slurm_awaited D: the run ids run folder D waits for (printed, one a line): those of its `after`
# file, and those its `upstream` file takes outputs from; only names Katapult gives.
slurm_awaited() {
  local name from out
  if [[ -f $1/after ]]; then
    while IFS= read -r from || [[ -n $from ]]; do
      [[ $from =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]] && echo "$from"
    done <"$1/after"
  fi
  if [[ -f $1/upstream ]]; then
    while IFS=$'\t' read -r name from out; do
      [[ -n $name && $from =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]] && echo "$from"
    done <"$1/upstream"
  fi
  return 0
}

# slurm_task_of RID: the Slurm task of run RID, JOB_TASK, into TASK_OF: the one that claimed it, else
# its line in the latest array naming it; fails when no array names it.
slurm_task_of() {
  local f job i line best=''
  TASK_OF=
  if rd "$R/runs/$1/slurm_task" && [[ $RV =~ ^[0-9]+_[0-9]+$ ]]; then
    TASK_OF=$RV
    return 0
  fi
  for f in "$R"/arrays/*.rids; do
    if ! rd "${f%.rids}.job" || [[ ! $RV =~ ^[0-9]+$ ]]; then continue; fi
    job=$RV
    [[ -z $best ]] || ((job > best)) || continue
    i=0
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line == "$1" ]]; then
        best=$job
        TASK_OF=${job}_$i
        break
      fi
      i=$((i + 1))
    done <"$f"
  done
  [[ -n $TASK_OF ]]
}

# slurm_inputs D: copies the upstream outputs run D takes (D/upstream: NAME, run id, output) from
# their run folders into D/work/NAME, each checked as fetch.sh checks an output (a regular file of
# that run's work folder, no link out of it). Fails, with the reason in WHY and WHYCODE, on the first
# that cannot be taken.
slurm_inputs() {
  local d=$1 name from out work m
  [[ -f $d/upstream ]] || return 0
  while IFS=$'\t' read -r name from out; do
    [[ -n $name ]] || continue
    # shellcheck disable=SC2034  # WHY and WHYCODE are this function's output, read by the caller
    WHYCODE=$RC_OUTPUT_MISSING
    if [[ $name == /* || /$name/ == */../* || $name == *//* || ! $from =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]]; then
      WHY="input '$name' is not a name Katapult gives"
      return 1
    fi
    work=$R/runs/$from/work
    if [[ -L $R/runs/$from || -L $work ]] || ! work=$(cd -P -- "$work" 2>/dev/null && pwd); then
      WHY="input '$name' (output '$out' of run $from): that run's folder is missing or a link"
      return 1
    fi
    # an output folder or pattern brings every file it matches, under NAME's folder with its own path
    output_entry "$out"
    output_matches "$work" "$ENTRY"
    if ((${#MATCHES[@]} == 0)) && [[ -z $OPTIONAL ]]; then
      WHY="input '$name' (output '$out' of run $from) matched nothing"
      return 1
    fi
    for m in "${MATCHES[@]}"; do
      inside_check "$work" "$m"
      [[ $WHYCODE == "$RC_OUTPUT_MISSING" && -n $OPTIONAL ]] && continue
      if [[ -n $WHY ]]; then
        WHY="input '${name%"$ENTRY"}$m' (output '$m' of run $from) $WHY"
        return 1
      fi
      m=${name%"$ENTRY"}$m
      [[ $m != */* ]] || mkdir -p -- "$d/work/${m%/*}"
      if ! cp -f -- "$work/$AS" "$d/work/$m"; then
        WHY="input '$m' (output '$out' of run $from) could not be copied"
        return 1
      fi
    done
  done <"$d/upstream"
  WHY=
}

# slurm_setup KEY NOPTS OPTION...: submits the set-up job of environment KEY (sbatch OPTION...
# slurm-task.sh R --env KEY, its job id into R/envs/KEY/.job), unless the environment is ready or
# failed, or a job of that --job-name is still queued or running from R (a step sent again, a
# Katapult killed between sbatch and the .job file, another session).
slurm_setup() {
  local key=$1 n=$2 e=$R/envs/$1 o name='' id
  shift 2
  local opts=("${@:1:n}")
  [[ $key =~ ^[A-Za-z0-9._-]+$ && -d $e/spec ]] || { echo "slurm-task.sh: no environment $key" >&2; return "$EX_USAGE"; }
  for o in "${opts[@]}"; do
    [[ $o == --job-name=* ]] && name=${o#--job-name=}
  done
  exec 7>>"$e/.job.lock"
  flock 7
  [[ ! -f $e/.ready && ! -f $e/.failed ]] || return 0
  # (squeue's default shows the jobs not ended: pending, running, completing, suspended)
  id=$(squeue -h -u "$(id -un)" -n "$name" -o '%i|%Z' 2>/dev/null | while IFS='|' read -r job wd; do
    if [[ $wd == "$R" ]]; then
      echo "$job"
      break
    fi
  done)
  # (checked again: a set-up that ended well since is not submitted again)
  [[ ! -f $e/.ready && ! -f $e/.failed ]] || return 0
  if [[ -z $id ]]; then
    id=$(sbatch --parsable -D "$R" -o "$e/slurm-%j.log" "${opts[@]}" "$R/bin/slurm-task.sh" "$R" --env "$key") || return 1
    id=${id%%;*}
  fi
  put "$e/.job" "$id"
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
  # a run still waiting for its environment, whose set-up failed: its task would wait for ever
  if [[ $ST == "$ST_WAIT" ]] && rd "$d/env" && [[ $RV =~ ^[A-Za-z0-9._-]+$ && -f $R/envs/$RV/.failed ]]; then
    local env=$RV
    rd "$R/envs/$env/.failed"
    [[ -z $key ]] || scancel "$key" 2>/dev/null
    slurm_abort "$d" "$RC_ENV_FAILED" "environment $env failed: ${RV:-set-up failed}"
    return 0
  fi
  [[ -n $key ]] || return 0
  case $ST in
    "$ST_WAIT" | "$ST_QUEUE" | "$ST_IDLE" | "$ST_RUNNING") ;;
    "$ST_ABORTED") [[ $3 == "$RC_STOPPED" ]] || return 0 ;;
    *) return 0 ;;
  esac
  if [[ -z $SL_OK ]]; then
    # squeue did not answer: the TERM that stopped the run may be a requeue or a time limit Slurm has
    # yet to tell (reported ABORTED now, the run would be placed again while Slurm runs it again)
    [[ $ST == "$ST_ABORTED" ]] && ST=$ST_RUNNING
    return 0
  fi
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
      if [[ $reason == DependencyNeverSatisfied && ($ST == "$ST_WAIT" || $ST == "$ST_QUEUE") ]]; then
        # a run it waits for did not succeed: Katapult places it again (or aborts it with that run)
        slurm_preempt "$d" "$key" "Slurm: a run it waits for did not succeed (DependencyNeverSatisfied, task $key)"
      elif [[ $ST == "$ST_WAIT" || $ST == "$ST_QUEUE" ]]; then
        # shellcheck disable=SC2034  # read by poll.sh
        SL_REASON="Slurm: pending ($reason)"
      elif [[ $ST != "$ST_PREEMPTED" ]]; then
        # a task that ran (its run RUNNING, or marked stopped by the TERM that ended it) and is pending
        # again was requeued by Slurm (scontrol requeue, a preemption or node failure with requeue):
        # Slurm runs it again, as the same task, so Katapult follows it and submits nothing
        ST=$ST_QUEUE
        # shellcheck disable=SC2034  # read by poll.sh
        SL_REASON="Slurm: requeued, pending ($reason)"
      fi
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
  local jobs=("${SL_JOBS[@]}" "${SL_SETUPS[@]}") e
  ((${#jobs[@]})) || return 0
  scancel "${jobs[@]}" 2>/dev/null
  # set-ups cut short are submitted again by the next deploy
  for e in "$R"/envs/*/; do
    [[ -f $e/.ready || -f $e/.failed ]] || rm -f "$e/.job"
  done
  local i
  for ((i = 0; i < 60; i++)); do
    # (squeue's default shows the jobs not ended: pending, running, completing, suspended)
    squeue -h -j "$(IFS=,; echo "${jobs[*]}")" -o %i 2>/dev/null \
      | grep -q . || return 0
    sleep 0.5
  done
}
