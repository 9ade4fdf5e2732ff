#!/usr/bin/env bash
# Katapult's Slurm array task: runs one run of a job array with run.sh, as the agent would.
#
# usage: slurm-task.sh R NAME   (sbatch runs it once per task, SLURM_ARRAY_TASK_ID set)
#        slurm-task.sh R --env KEY                  (the set-up job of environment KEY: env.sh)
#        slurm-task.sh R --setup KEY NOPTS OPTION...  (on the login node: submits that job, once)
#        slurm-task.sh R --needs RID...             (on the login node: an array's --dependency)
#
# R/arrays/NAME.rids lists the array's runs, one a line: task i runs the run of line i+1. A run is
# claimed by the first Slurm task that starts it (its id in the run's slurm_task file): the same
# task started again by Slurm (requeued) runs it again, a task of another array naming the same run
# does not. The task exits 0 only when its run ended DONE (the arrays waiting for it start only then).
# docs/PROTOCOL.md ("Batch schedulers") is the spec.

# The whole script is one block: bash reads all of it before running any.
{
SELF=${BASH_SOURCE[0]}
[[ $SELF == /* ]] || SELF=$PWD/$SELF
# sbatch runs a copy of this script: lib.sh is found beside the installed one, in R/bin
R=${1:?usage: slurm-task.sh R NAME}
NAME=${2:?usage: slurm-task.sh R NAME}
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$R/bin/lib.sh" || exit 1
case $NAME in
  --env)
    # (env.sh finds lib.sh beside itself: it runs from R/bin, not from Slurm's copy of this script)
    [[ ${3:-} =~ ^[A-Za-z0-9._-]+$ && -d $R/envs/$3/spec ]] || { echo "slurm-task.sh: no environment ${3:-}" >&2; exit "$EX_USAGE"; }
    exec bash "$R/bin/env.sh" "$R/envs/$3"
    ;;
  --needs)
    # shellcheck source=slurm.sh source-path=SCRIPTDIR
    source "$R/bin/slurm.sh" || exit 1
    shift 2
    slurm_needs "$@"
    exit
    ;;
  --setup)
    # shellcheck source=slurm.sh source-path=SCRIPTDIR
    source "$R/bin/slurm.sh" || exit 1
    shift 2
    slurm_setup "$@"
    exit
    ;;
esac
TASK=${SLURM_ARRAY_TASK_ID:-}
if [[ ! $TASK =~ ^[0-9]+$ || ! $NAME =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "slurm-task.sh: not a task of one of Katapult's arrays" >&2
  exit "$EX_USAGE"
fi
RID=
i=0
while IFS= read -r line || [[ -n $line ]]; do
  if ((i == TASK)); then RID=$line; break; fi
  i=$((i + 1))
done <"$R/arrays/$NAME.rids"
D=$R/runs/$RID
if [[ ! $RID =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ || ! -d $D ]]; then
  echo "slurm-task.sh: task $TASK of $NAME names no run" >&2
  exit "$EX_FAIL"
fi
ME=${SLURM_ARRAY_JOB_ID:-}_$TASK
exec 8>>"$D/slurm.lock"
flock 8
if rd "$D/slurm_task" && [[ $RV != "$ME" ]]; then
  echo "slurm-task.sh: run $RID belongs to Slurm task $RV" >&2
  exit "$EX_OK"
fi
# a run Katapult placed again elsewhere (its task lost with a node), or finished, is not run again
if rd "$D/state" && [[ $RV == "$ST_PREEMPTED" || $RV == "$ST_DONE" ]]; then
  echo "slurm-task.sh: run $RID is $RV already" >&2
  exit "$EX_OK"
fi
put "$D/slurm_task" "$ME"
exec 8>&-
rm -f "$R/queue/$RID"
# the outputs of the runs it waited for, from their folders (Slurm started it once they succeeded)
# shellcheck source=slurm.sh source-path=SCRIPTDIR
source "$R/bin/slurm.sh" || exit 1
# the task succeeds only when its run ended DONE: the arrays waiting for it (afterok) start only
# then, and Slurm holds them for ever (DependencyNeverSatisfied, which poll.sh acts on) otherwise.
# (TERM, as Slurm sends it to every process of the task, is run.sh's to act on: this shell stays
# to tell Slurm how the run ended; a trapped signal is reset in run.sh, an ignored one would not be)
trap : TERM
if slurm_inputs "$D"; then
  bash "$R/bin/run.sh" "$D"
else
  abort "$D" "$WHYCODE" "$WHY"
fi
rd "$D/state" && [[ $RV == "$ST_DONE" ]] || exit "$EX_FAIL"
exit "$EX_OK"
}
