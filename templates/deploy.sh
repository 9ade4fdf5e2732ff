# shellcheck shell=bash
# Katapult's deploy step: the functions of the one script an instance receives per step (install,
# environments, submissions), sent on stdin to `bash -s` after protocol.sh's words. RemoteScript adds
# one call per item, every value a quoted word, inside a function called on the script's last line:
# a script cut short in transit runs nothing. Every write is idempotent, so a step can be sent again
# after a crash without running anything twice. docs/PROTOCOL.md is the spec.

# d_begin R F: this instance's folder R and the uploads F (which hosts of one home may share).
d_begin() {
  R=$1 F=$2
  mkdir -p "$R/bin" "$F" "$R/envs" "$R/runs" "$R/queue"
  # Katapult speaks: the heartbeat the agent's dead-man switch reads
  printf '%(%s)T\n' -1 >"$R/heartbeat"
}

# d_put FILE TEXT: replaces FILE atomically, through a temporary name of this shell ($$): two writers
# never share one.
d_put() {
  printf '%s' "$2" >"$1.$$.tmp" && mv -f "$1.$$.tmp" "$1"
}

# d_copy SHA DIR NAME: the stored file SHA as DIR/NAME (NAME a relative path), a private writable copy
# (the stored file is read-only: its mode is not carried over).
d_copy() {
  [[ $3 != */* ]] || mkdir -p "$2/${3%/*}"
  cp --no-preserve=mode "$F/$1" "$2/$3"
}

# d_link SHA DIR NAME: the stored file SHA as DIR/NAME, shared rather than copied: a hard link to the
# read-only stored file (no second copy of its content). Where no link can be made (the store on
# another file system), a copy-on-write clone where the file system has them, else a copy, made
# read-only all the same, so that a run sees the same thing either way.
d_link() {
  [[ $3 != */* ]] || mkdir -p "$2/${3%/*}"
  ln -- "$F/$1" "$2/$3" 2>/dev/null && return 0
  cp --reflink=auto -- "$F/$1" "$2/$3"
  chmod a-w -- "$2/$3"
}

# d_defer SHA DIR NAME: the stored file SHA as DIR/NAME for a private copy that run.sh makes when the run
# starts (so that a queued run takes no disk, and the agent starts it only when the disk can hold its
# copies): a hard link to the stored file until then, which also keeps the store from dropping it. Fails
# where no link can be made (the caller then copies at once).
d_defer() {
  [[ $3 != */* ]] || mkdir -p "$2/${3%/*}"
  ln -- "$F/$1" "$2/$3" 2>/dev/null
}

# d_adopt P MESSAGE: takes over what a Katapult before per-instance folders left in P (runs/ and
# queue/ at the project root): they move into R. While that older agent still holds its lock,
# nothing moves and the step fails with MESSAGE.
d_adopt() {
  local p=$1 x
  [[ -d $p/runs ]] || return 0
  exec 7>>"$p/agent.lock"
  # (a few seconds: another host of a shared home may be moving them right now)
  if ! flock -w 5 7; then
    echo "$2" >&2
    exit 1
  fi
  for x in runs queue; do
    if [[ -d $p/$x ]]; then rmdir "$R/$x" && mv "$p/$x" "$R/$x"; fi
  done
  rm -rf "${p:?}/bin" "$p/agent.pid" "$p/stopped" "$p/wake" "$p/cpus" "$p/agent.lock"
  exec 7>&-
}

# d_install VERSION [NAME TEXT]...: the agent scripts into R/bin, unless this version is there.
d_install() {
  local version=$1
  shift
  [[ "$(cat "$R/bin/version" 2>/dev/null)" != "$version" ]] || return 0
  while (($#)); do
    d_put "$R/bin/$1" "$2"
    shift 2
  done
  d_put "$R/bin/version" "$version"$'\n'
}

# d_cpus N: the cpus the agent may use.
d_cpus() {
  d_put "$R/cpus" "$1"$'\n'
}

# d_lifecycle SHUTDOWN IDLE_STOP HEARTBEAT_TIMEOUT ABANDON_AFTER: what a shutdown does to this
# machine ($SD_NONE, $SD_STOP, $SD_TERMINATE) and the agent's lifecycle rule, in seconds (idle stop
# 0: off), for lifecycle.sh.
d_lifecycle() {
  d_put "$R/lifecycle" "shutdown $1"$'\n'"idle_stop $2"$'\n'"heartbeat_timeout $3"$'\n'"abandon_after $4"$'\n'
}

# d_spot URL: the instance metadata address (up to /latest) whose spot interruption notice the agent
# watches (spot.sh); empty: not a spot instance, no watch.
d_spot() {
  if [[ -n $1 ]]; then
    d_put "$R/spot" "$1"$'\n'
  else
    rm -f "$R/spot"
  fi
}

# d_env KEY NSPEC [NAME TEXT]*NSPEC [NAME SHA]...: an environment's spec folder, unless it exists:
# NSPEC files given by their text, then files copied from the uploads.
d_env() {
  local dir=$R/envs/$1 n=$2
  shift 2
  [[ ! -d $dir/spec ]] || return 0
  rm -rf "$dir/spec.part" && mkdir -p "$dir/spec.part"
  for ((; n > 0; n--)); do
    d_put "$dir/spec.part/$1" "$2"
    shift 2
  done
  while (($#)); do
    d_copy "$2" "$dir/spec.part" "$1"
    shift 2
  done
  mv "$dir/spec.part" "$dir/spec"
}

# d_run RID CMD ENV CPUS OUTPUTS [NAME HOW SHA]...: a run's folder and queue entry, unless the run
# exists; HOW is `link` (shared, read-only: d_link, its name listed in the run's `shared` file, NUL
# after each), `copy` (private, writable: made by run.sh when the run starts, its name listed in the
# run's `copies` file, NUL after each; d_defer) or `copy-now` (private, writable, small: copied here at
# once, which costs one process where a copy at start costs four). Inside .part, files are written in
# place (printf is a builtin: no process per file); the folder appears whole with the mv. It waits for
# its environment (WAIT), or for cpus (QUEUE) when it has none. A run found WAIT or QUEUE without a
# queue entry is one whose submission was cut between the two writes: it is queued again.
d_run() {
  local dir=$R/runs/$1 queue=$R/queue/$1 env=$3 cpus=$4 state=$ST_QUEUE
  local part=$dir.part
  if [[ ! -d $dir ]]; then
    if [[ -e $part ]]; then rm -rf "$part"; fi
    mkdir -p "$part/work"
    printf '%s' "$2" >"$part/cmd"
    if [[ -n $env ]]; then
      printf '%s\n' "$env" >"$part/env"
      state=$ST_WAIT
    else
      printf '' >"$part/env"
    fi
    printf '%s\n' "$cpus" >"$part/cpus"
    printf '%s' "$5" >"$part/outputs"
    shift 5
    local shared=() copies=()
    while (($#)); do
      if [[ $2 == link ]]; then
        d_link "$3" "$part/work" "$1"
        shared+=("$1")
      elif [[ $2 == copy-now ]]; then
        d_copy "$3" "$part/work" "$1"
      elif d_defer "$3" "$part/work" "$1"; then
        copies+=("$1")
      else
        d_copy "$3" "$part/work" "$1"
      fi
      shift 3
    done
    ((${#shared[@]} == 0)) || printf '%s\0' "${shared[@]}" >"$part/shared"
    ((${#copies[@]} == 0)) || printf '%s\0' "${copies[@]}" >"$part/copies"
    printf '%s\n' "$state" >"$part/state"
    mv "$part" "$dir"
    : >"$queue"
  elif [[ ! -e $queue ]] && case "$(cat "$dir/state" 2>/dev/null)" in
    "$ST_WAIT" | "$ST_QUEUE") true ;;
    *) false ;;
  esac; then
    : >"$queue"
  fi
}

# d_start_agent [NAME=VALUE]...: makes sure the agent runs, with these settings in its environment.
d_start_agent() {
  (
    local kv
    for kv in "$@"; do export "${kv?}"; done
    exec bash "$R/bin/agent.sh" "$R" start
  )
}

# d_batch SCHEDULER: this instance is a batch scheduler's login node (slurm): no agent runs here;
# each job's runs go to the scheduler as one array (d_sbatch), and poll.sh asks it what became of them.
d_batch() {
  mkdir -p "$R/arrays"
  d_put "$R/batch" "$1"$'\n'
}

# d_env_job KEY NOPTS OPTION...: on a batch login node, the Slurm job that sets environment KEY up
# (slurm-task.sh --setup: submitted once, found again by its name).
d_env_job() {
  bash "$R/bin/slurm-task.sh" "$R" --setup "$@"
}

# d_upstream RID [NAME FROM_RID OUTPUT]...: the upstream outputs run RID takes from their run
# folders when its Slurm task starts (slurm-task.sh), as work/NAME.
d_upstream() {
  local rid=$1 text=''
  shift
  while (($#)); do
    text+="$1"$'\t'"$2"$'\t'"$3"$'\n'
    shift 3
  done
  d_put "$R/runs/$rid/upstream" "$text"
}

# d_after RID FROM_RID...: the upstream runs whose Slurm tasks run RID's task waits for (afterok),
# whether it takes their outputs or not, one a line.
d_after() {
  local rid=$1 text=''
  shift
  while (($#)); do
    text+="$1"$'\n'
    shift
  done
  d_put "$R/runs/$rid/after" "$text"
}

# d_sbatch NAME NOPTS OPTION... RID...: one Slurm job array of the runs RID... (task i runs the
# i-th), submitted with the NOPTS options, unless the array NAME was submitted already: its job id
# is in R/arrays/NAME.job, or squeue shows a job of that name still queued or running from R (a
# step cut short between sbatch and that file). Sending a submission again never submits twice; a
# task that starts a run another task claimed leaves it alone (slurm-task.sh). The array waits
# (afterok) for its environment's set-up job and its runs' upstream tasks (slurm-task.sh --needs);
# when that set-up failed nothing is submitted (poll.sh aborts the runs).
d_sbatch() {
  local name=$1 n=$2 a=$R/arrays/$1 id need
  shift 2
  local opts=("${@:1:n}")
  shift "$n"
  [[ ! -s $a.job ]] || return 0
  need=$(bash "$R/bin/slurm-task.sh" "$R" --needs "$@") || return 0
  [[ -z $need ]] || opts+=("$need")
  mkdir -p "$R/arrays"
  if [[ ! -s $a.rids ]]; then
    printf '%s\n' "$@" >"$a.rids.$$.tmp" && mv -f "$a.rids.$$.tmp" "$a.rids"
  fi
  id=$(squeue -h -u "$(id -un)" -n "$name" -o '%F|%Z' 2>/dev/null | while IFS='|' read -r job wd; do
    if [[ $wd == "$R" ]]; then
      echo "$job"
      break
    fi
  done)
  if [[ -z $id ]]; then
    id=$(sbatch --parsable -D "$R" -o "$R/arrays/slurm-%A_%a.log" "${opts[@]}" "$R/bin/slurm-task.sh" "$R" "$name")
  fi
  id=${id%%;*}
  d_put "$a.job" "$id"$'\n'
}
