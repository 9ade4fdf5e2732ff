#!/usr/bin/env bash
# Katapult run wrapper: runs one job run and records how it went.
#
# usage: run.sh R/runs/<rid>
#
# Runs `bash ../cmd` in work/ (stdout to out.log, stderr to err.log, stdin from /dev/null) with the
# run's environment activated and KATAPULT_RUN_ID, KATAPULT_CPUS, KATAPULT_PREEMPTED and
# OMP_NUM_THREADS (unless set) exported. Writes pid (its process group), boot, start, state RUNNING;
# then exit, end and state DONE (exit 0 and every listed output present: each folder or pattern matching
# a file, unless optional) or ABORTED with a reason code
# and a one-line reason. On TERM, INT or HUP it marks the run ABORTED "stopped" and kills its command;
# after a spot interruption notice (the file KATAPULT_PREEMPTED names is there) it gives the command
# KATAPULT_PREEMPT_GRACE seconds (90) to save a checkpoint, then marks the run PREEMPTED instead.
# The agent starts it with setsid.

# The whole script is one block: bash reads all of it before running any, so replacing the file
# while it runs cannot change what runs.
{
SELF=${BASH_SOURCE[0]}
[[ $SELF == /* ]] || SELF=$PWD/$SELF
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "${SELF%/*}/lib.sh" || exit 1
cd -- "${1:?usage: run.sh R/runs/<rid>}" || exit 1
D=$PWD

RID=${D##*/}
R=${D%/*}
R=${R%/*}
GRACE=${KATAPULT_STOP_GRACE:-5}
[[ $GRACE =~ ^[0-9]+$ ]] || GRACE=5
PREEMPT_GRACE=${KATAPULT_PREEMPT_GRACE:-90}
[[ $PREEMPT_GRACE =~ ^[0-9]+$ ]] || PREEMPT_GRACE=90
CPID=

finish() {   # finish STATE [CODE REASON]
  now
  [[ -f $D/end ]] || note "$D/end" "$NOW"
  if [[ -n ${2:-} ]]; then
    note "$D/reason_code" "$2"
    note "$D/reason" "$3"
  fi
  put "$D/state" "$1"
  wake
}

# wake: tell the agent loop that cpus are free (a line in its FIFO). Opening read-write never
# blocks; with no agent holding the FIFO open, the line is simply dropped.
wake() {
  [[ -p $R/wake ]] && { printf '\n' 1<>"$R/wake"; } 2>/dev/null
  return 0
}

# kill_rest SIGNAL: signal every other process of this run's process group
kill_rest() {
  trap '' TERM
  kill "-$1" -- "-$$" 2>/dev/null
}

# finish_preempted: the run is PREEMPTED (its spot instance got an interruption notice).
finish_preempted() {
  rd "$D/preempted"
  finish "$ST_PREEMPTED" "$RC_PREEMPTED" "spot interruption notice (instance goes away at ${RV:-soon})"
}

# wait_command SECONDS: waits until the command ended, SECONDS at most.
# shellcheck disable=SC2317  # called from a trap
wait_command() {
  local deadline
  now
  deadline=$((NOW + $1))
  while alive "$CPID"; do
    now
    ((NOW >= deadline)) && break
    sleep 0.1
  done
}

# shellcheck disable=SC2317  # a trap
on_signal() {
  trap '' TERM INT HUP
  if [[ -f $D/preempted ]]; then
    # after a notice the agent has TERMed the whole group once (a second TERM would cut a checkpoint
    # short); the run says PREEMPTED only once its command ended or its grace ran out, so that the
    # files it saved are whole when Katapult sees the state and fetches them
    [[ -n $CPID ]] && wait_command "$PREEMPT_GRACE"
    finish_preempted
  else
    finish "$ST_ABORTED" "$RC_STOPPED" stopped
    if [[ -n $CPID ]]; then
      kill_rest TERM
      wait_command "$GRACE"
    fi
  fi
  [[ -n $CPID ]] && kill -KILL -- "-$$" 2>/dev/null   # what is left of the group, this script included
  exit "$EX_SIGNAL"
}
# READ_ONLY SHARED_LIST: bash -c text, run in a mount namespace of its own: bind-mounts each file named
# in SHARED_LIST (names relative to work/, NUL after each) read-only over itself, then runs the command.
# shellcheck disable=SC2016  # expanded by the bash that runs it
READ_ONLY='
while IFS= read -r -d "" n; do
  mount --bind "./$n" "./$n" 2>/dev/null && mount -o remount,bind,ro "./$n" 2>/dev/null ||
    echo "katapult: could not make the shared file $n read-only for this run" >&2
done <"$1"
exec "$BASH" ../cmd'
# lead a process group of its own, so the whole command can be signalled at once
if { read -r _ _ _ _ pg _ </proc/$$/stat; } 2>/dev/null && [[ $pg != "$$" ]]; then
  exec setsid "$BASH" "$SELF" "$D"
fi
trap on_signal TERM INT HUP

# (each step skips what the agent already did: every process started here delays the run)
if [[ -e $D/exit || -e $D/end || -e $D/reason || -e $D/reason_code ]]; then
  rm -f "$D/exit" "$D/end" "$D/reason" "$D/reason_code"
fi
now
if ! rd "$D/pid" || [[ $RV != "$$" ]]; then put "$D/pid" "$$"; fi
if ! rd "$D/boot" || [[ $RV != "$BOOT" ]]; then put "$D/boot" "$BOOT"; fi
note "$D/start" "$NOW"
put "$D/state" "$ST_RUNNING"

rd "$D/env"
ENV=$RV
if [[ -n $ENV ]]; then
  E=$R/envs/$ENV
  if [[ ! $ENV =~ ^[A-Za-z0-9._-]+$ || ! -f $E/.ready || ! -f $E/activate ]]; then
    finish "$ST_ABORTED" "$RC_ENV_NOT_READY" "environment $ENV is not ready"
    exit 1
  fi
  # shellcheck disable=SC1091
  source "$E/activate"
fi

CPUS=1
rd "$D/cpus" && [[ $RV =~ ^[0-9]+$ ]] && ((RV > 0)) && CPUS=$RV
export KATAPULT_RUN_ID=$RID KATAPULT_CPUS=$CPUS KATAPULT_PREEMPTED=$D/preempted
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$CPUS}

if [[ -f $D/preempted ]]; then   # the notice came while the agent was starting it
  finish_preempted
  exit 0
fi
if ! cd "$D/work"; then
  finish "$ST_ABORTED" "$RC_WORK_MISSING" "the work folder is missing"
  exit 1
fi
# the run's private copies of uploads, made now rather than when it was queued (links to the stored
# files until then): each replaces its link whole, so a run started again finds a copy or a link
if [[ -s $D/copies ]]; then
  while IFS= read -r -d '' n; do
    if ! cp --no-preserve=mode -- "./$n" "./$n.katapult-copy" 2>/dev/null || ! mv -f -- "./$n.katapult-copy" "./$n"; then
      rm -f -- "./$n.katapult-copy"
      finish "$ST_ABORTED" "$RC_COPY_FAILED" "could not copy upload '$n' into the run's folder (disk full?)"
      exit 1
    fi
  done <"$D/copies"
  rm -f "$D/copies"
fi
# A background job of a script ignores INT and QUIT: give them back to the command.
(
  trap - INT QUIT
  if ((EUID == 0)) && [[ -s $D/shared ]] && unshare --mount --propagation private true 2>/dev/null; then
    # root writes through any file mode: the shared files become read-only mounts of their own, seen
    # only by this command (a mount namespace of its own), so that its writes fail there too
    exec unshare --mount --propagation private "$BASH" -c "$READ_ONLY" run.sh "$D/shared"
  fi
  exec "$BASH" ../cmd
) </dev/null >"$D/out.log" 2>"$D/err.log" &
CPID=$!
wait "$CPID"
CODE=$?
CPID=
trap '' INT HUP
kill_rest TERM   # whatever the command left running in the background (TERM stays ignored)

now
note "$D/exit" "$CODE"
note "$D/end" "$NOW"
if ((CODE != 0)); then
  if ((CODE > 128)) && SIG=$(kill -l "$((CODE - 128))" 2>/dev/null); then
    finish "$ST_ABORTED" "$RC_EXIT_SIGNAL" "exit code $CODE (killed by signal $SIG)"
  else
    finish "$ST_ABORTED" "$RC_EXIT_NONZERO" "exit code $CODE"
  fi
  exit 0
fi
# every output must be a regular file of the run's folder: a link leading out of it is never read; a
# folder or a pattern must match at least one file unless it is optional (a trailing ?)
if [[ -f $D/outputs ]]; then
  if [[ -L $D/work ]] || ! cd -P -- "$D/work"; then
    finish "$ST_ABORTED" "$RC_WORK_REPLACED" "the run's work folder was removed or replaced by a link"
    exit 0
  fi
  while IFS= read -r entry || [[ -n $entry ]]; do
    entry=${entry%$'\r'}
    [[ -z $entry ]] && continue
    output_entry "$entry"
    output_matches "$PWD" "$ENTRY"
    if ((${#MATCHES[@]} == 0)); then
      [[ -n $OPTIONAL ]] && continue
      finish "$ST_ABORTED" "$RC_OUTPUT_MISSING" "output '$entry' matched nothing"
      exit 0
    fi
    for out in "${MATCHES[@]}"; do
      inside_check "$PWD" "$out"
      [[ -z $WHY || ($WHYCODE == "$RC_OUTPUT_MISSING" && -n $OPTIONAL) ]] && continue
      if [[ $WHYCODE == "$RC_OUTPUT_MISSING" ]]; then
        finish "$ST_ABORTED" "$WHYCODE" "output '$out' was not produced"
      elif [[ $WHYCODE == "$RC_OUTPUT_NOT_FILE" && $out == "$ENTRY" && -d $out ]]; then
        finish "$ST_ABORTED" "$WHYCODE" "output '$out' is a folder, not a file (write '$out/' to fetch a folder)"
      else
        finish "$ST_ABORTED" "$WHYCODE" "output '$out' $WHY"
      fi
      exit 0
    done
  done <"$D/outputs"
fi
finish "$ST_DONE"
exit
}
