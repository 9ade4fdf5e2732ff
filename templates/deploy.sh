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
  [[ $3 != */* || -d $2/${3%/*} ]] || mkdir -p "$2/${3%/*}"
  cp --no-preserve=mode "$F/$1" "$2/$3"
}

# d_link SHA DIR NAME: the stored file SHA as DIR/NAME, shared rather than copied: a hard link to the
# read-only stored file (no second copy of its content). Where no link can be made (the store on
# another file system), a copy-on-write clone where the file system has them, else a copy, made
# read-only all the same, so that a run sees the same thing either way.
d_link() {
  [[ $3 != */* || -d $2/${3%/*} ]] || mkdir -p "$2/${3%/*}"
  ln -- "$F/$1" "$2/$3" 2>/dev/null && return 0
  cp --reflink=auto -- "$F/$1" "$2/$3"
  chmod a-w -- "$2/$3"
}

# d_defer SHA DIR NAME: the stored file SHA as DIR/NAME for a private copy that run.sh makes when the run
# starts (so that a queued run takes no disk, and the agent starts it only when the disk can hold its
# copies): a hard link to the stored file until then, which also keeps the store from dropping it. Fails
# where no link can be made (the caller then copies at once).
d_defer() {
  [[ $3 != */* || -d $2/${3%/*} ]] || mkdir -p "$2/${3%/*}"
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
# run's `copies` file, NUL after each; d_defer) or `copy-now` (private, writable, small: copied at
# once). The run is only noted here: d_flush writes the step's new runs together. It waits for its
# environment (WAIT), or for cpus (QUEUE) when it has none. A run found WAIT or QUEUE without a queue
# entry is one whose submission was cut between the two writes: it is queued again.
declare -ga D_RIDS=() D_ARGS=()
declare -gA D_NOTED=()
d_run() {
  local dir=$R/runs/$1 queue=$R/queue/$1 st=
  if [[ ! -d $dir ]]; then
    [[ -z ${D_NOTED[$1]:-} ]] || return 0
    D_NOTED[$1]=1
    D_RIDS+=("$1")
    D_ARGS+=("$#" "$@")
  elif [[ ! -e $queue ]]; then
    { IFS= read -r st <"$dir/state"; } 2>/dev/null || true
    if [[ $st == "$ST_WAIT" || $st == "$ST_QUEUE" ]]; then : >"$queue"; fi
  fi
}

# d_batched N WORD... ITEM...: the command of the first N words with the items appended, as few times
# as the kernel's limit on an argument list allows (kept to 256 KiB of items a time, far below it).
d_batched() {
  local cmd=("${@:2:$1}") chunk=() size=0 item
  shift "$(($1 + 1))"
  for item in "$@"; do
    if ((size + ${#item} > 262144 && ${#chunk[@]} > 0)); then
      "${cmd[@]}" "${chunk[@]}"
      chunk=() size=0
    fi
    chunk+=("$item")
    size=$((size + ${#item} + 1))
  done
  ((${#chunk[@]} == 0)) || "${cmd[@]}" "${chunk[@]}"
}

# d_flush: writes the runs d_run noted, in a staging folder of this shell ($$) inside R: one mkdir
# for all their folders, files written in place (printf is a builtin), one tee per stored file copied
# privately into many runs, then one mv that moves the whole folders into runs/ (each appears whole),
# then their queue entries. A step cut short leaves at most a staging folder, removed by the next
# step, and runs without queue entries, queued again when the step is sent again. Costs a handful of
# processes whatever the number of runs (two per run were the cost of writing each in turn).
d_flush() {
  ((${#D_RIDS[@]} > 0)) || return 0
  local S=$R/stage.$$ s rid dirs=() k n i name sha nested args idx to
  for s in "$R"/stage.*; do
    [[ -d $s && ${s##*.} =~ ^[0-9]+$ ]] || continue
    kill -0 "${s##*.}" 2>/dev/null && [[ $s != "$S" ]] && continue
    rm -rf -- "$s"
  done
  # the folders first: each run's work/ and the folders its files' names ask for
  for ((i = 0; i < ${#D_ARGS[@]}; i += n + 1)); do
    n=${D_ARGS[i]}
    rid=${D_ARGS[i + 1]}
    nested=0
    for ((k = i + 6; k < i + 1 + n; k += 3)); do
      name=${D_ARGS[k]}
      [[ $name != */* ]] || { dirs+=("$S/$rid/work/${name%/*}") && nested=1; }
    done
    ((nested)) || dirs+=("$S/$rid/work")
  done
  d_batched 3 mkdir -p -- "${dirs[@]}"
  local -A tee_of=()   # stored file -> indices into dests of its private copies, a space before each
  local dests=()
  for ((i = 0; i < ${#D_ARGS[@]}; i += n + 1)); do
    n=${D_ARGS[i]}
    # (element by element: bash walks its array from the start for a slice, which made this quadratic)
    args=()
    for ((k = i + 1; k <= i + n; k++)); do args+=("${D_ARGS[k]}"); done
    d_stage_run "$S" "${args[@]}"
  done
  for sha in "${!tee_of[@]}"; do
    to=()
    read -r -a idx <<<"${tee_of[$sha]}"
    for k in "${idx[@]}"; do to+=("${dests[k]}"); done
    d_batched 2 d_tee "$F/$sha" "${to[@]}"
  done
  d_batched 4 mv -t "$R/runs" -- "${D_RIDS[@]/#/"$S/"}"
  for rid in "${D_RIDS[@]}"; do : >"$R/queue/$rid"; done
  rmdir -- "$S"
  D_RIDS=() D_ARGS=() D_NOTED=()
}

# d_tee FILE DEST...: FILE copied to every DEST by one process.
d_tee() {
  tee -- "${@:2}" <"$1" >/dev/null
}

# d_stage_run S RID CMD ENV CPUS OUTPUTS [NAME HOW SHA]...: one noted run's files in S/RID (its folders
# made already); the small private copies are left to d_flush's tee (its tee_of and dests).
d_stage_run() {
  local dir=$1/$2 env=$4 state=$ST_QUEUE shared=() copies=()
  # (no env, cpus 1, no outputs: no file, which its readers take for that; every file made costs)
  printf '%s' "$3" >"$dir/cmd"
  if [[ -n $env ]]; then
    printf '%s\n' "$env" >"$dir/env"
    state=$ST_WAIT
  fi
  [[ $5 == 1 ]] || printf '%s\n' "$5" >"$dir/cpus"
  [[ -z $6 ]] || printf '%s' "$6" >"$dir/outputs"
  shift 6
  while (($#)); do
    if [[ $2 == link ]]; then
      d_link "$3" "$dir/work" "$1"
      shared+=("$1")
    elif [[ $2 == copy-now ]]; then
      tee_of[$3]+=" ${#dests[@]}"
      dests+=("$dir/work/$1")
    elif d_defer "$3" "$dir/work" "$1"; then
      copies+=("$1")
    else
      d_copy "$3" "$dir/work" "$1"
    fi
    shift 3
  done
  ((${#shared[@]} == 0)) || printf '%s\0' "${shared[@]}" >"$dir/shared"
  ((${#copies[@]} == 0)) || printf '%s\0' "${copies[@]}" >"$dir/copies"
  printf '%s\n' "$state" >"$dir/state"
}

# d_start_agent [NAME=VALUE]...: makes sure the agent runs, with these settings in its environment
# (after the noted runs are written, as is every step that reads them).
d_start_agent() {
  d_flush
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
  d_flush
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
  d_flush
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
  d_flush
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
