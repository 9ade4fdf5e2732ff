# shellcheck shell=bash
# Katapult's helpers shared by agent.sh, run.sh, env.sh, poll.sh and fetch.sh: sourced, never run.

# shellcheck source=protocol.sh source-path=SCRIPTDIR
source "${BASH_SOURCE[0]%/*}/protocol.sh" || return 1

# The boot id tells a process of this boot from one of a previous boot with the same pid.
BOOT=
{ IFS= read -r BOOT </proc/sys/kernel/random/boot_id; } 2>/dev/null

log() { printf '%(%F %T)T %s\n' -1 "$*"; }

# now: the epoch seconds into NOW, without a process.
# shellcheck disable=SC2034  # NOW is this function's output, read by the caller
now() { printf -v NOW '%(%s)T' -1; }

# rd FILE: first line of FILE into RV (without a trailing CR); fails when FILE is absent.
rd() {
  RV=
  [[ -f $1 ]] || return 1
  { IFS= read -r RV <"$1"; } 2>/dev/null
  RV=${RV%$'\r'}
  return 0
}

# put FILE VALUE: replace FILE atomically.
put() {
  local tmp="$1.$$.tmp"
  printf '%s\n' "$2" >"$tmp" && mv -f "$tmp" "$1"
}

# note FILE VALUE: write FILE in place, without put's rename (a process): only for files that
# nobody reads before a state written after them says they are there (start, exit, end, reason,
# boot).
note() {
  printf '%s\n' "$2" >"$1"
}

# abort DIR CODE REASON: the run in DIR becomes ABORTED, its reason code and prose reason written
# first, so that a reader never sees ABORTED without them.
abort() {
  put "$1/reason_code" "$2"
  put "$1/reason" "$3"
  [[ -f $1/end ]] || { now; put "$1/end" "$NOW"; }
  put "$1/state" "$ST_ABORTED"
}

# alive PID: a process that has not exited (zombies count as gone).
alive() {
  local st
  { read -r _ _ st _ <"/proc/$1/stat"; } 2>/dev/null && [[ $st != [ZX] ]]
}

# leader_alive PID: PID is a live process that leads its own process group (as run.sh and
# env.sh do: both are started with setsid).
leader_alive() {
  local st pg
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  { read -r _ _ st _ pg _ <"/proc/$1/stat"; } 2>/dev/null || return 1
  [[ $st != [ZX] && $pg == "$1" ]]
}

# stamp PID: STAMP="pid starttime boot" identifies this process across pid reuse and reboots.
# shellcheck disable=SC2034  # STAMP is this function's output, read by the caller
stamp() {
  local f
  STAMP=
  { read -r -a f <"/proc/$1/stat"; } 2>/dev/null || return 1
  STAMP="$1 ${f[21]} $BOOT"
}

# stamp_alive FILE: FILE holds the stamp of a process that still lives.
stamp_alive() {
  local pid f
  rd "$1" || return 1
  pid=${RV%% *}
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r -a f <"/proc/$pid/stat"; } 2>/dev/null || return 1
  [[ ${f[2]} != [ZX] && "$pid ${f[21]} $BOOT" == "$RV" ]]
}

# inside_check WORK NAME: whether WORK/NAME is a regular file reached without leaving WORK (WORK given
# by its physical path). Links are followed only while they stay inside WORK. Sets WHY to the reason
# it is not ("" when it is; "was not found" when nothing is there), WHYCODE to its reason code, and AS
# to its path relative to WORK with links resolved.
inside_check() {
  local work=$1 path=$2 part='' real
  WHY=
  WHYCODE=
  AS=$2
  while [[ $path == */* ]]; do
    part+=${path%%/*}
    path=${path#*/}
    [[ -L $work/$part ]] && break
    part+=/
  done
  if [[ -L $work/$part || -L $work/$2 ]]; then
    if ! real=$(realpath -e -- "$work/$2" 2>/dev/null); then
      WHY="is a link that leads nowhere" WHYCODE=$RC_OUTPUT_LINK_OUT
      return
    elif [[ $real != "$work/"* ]]; then
      WHY="is a link to $real, outside the run's folder (never read)" WHYCODE=$RC_OUTPUT_LINK_OUT
      return
    fi
    AS=${real#"$work/"}
  fi
  if [[ ! -e $work/$AS ]]; then
    WHY="was not found" WHYCODE=$RC_OUTPUT_MISSING
  elif [[ -d $work/$AS ]]; then
    WHY="is a folder, not a file" WHYCODE=$RC_OUTPUT_NOT_FILE
  elif [[ ! -f $work/$AS ]]; then
    # shellcheck disable=SC2034  # WHY, WHYCODE and AS are this function's output, read by the caller
    WHY="is not a regular file (a FIFO, socket or device)" WHYCODE=$RC_OUTPUT_NOT_FILE
  fi
}

# disk_space DIR: the bytes free (for an unprivileged user) and in all on DIR's file system, as df
# tells them, into DISK_FREE and DISK_TOTAL; fails when df cannot tell.
disk_space() {
  local out total avail
  DISK_FREE='' DISK_TOTAL=''
  out=$(LC_ALL=C df -P -B1 -- "$1" 2>/dev/null) || return 1
  out=${out##*$'\n'}
  read -r _ total _ avail _ <<<"$out"
  [[ $total =~ ^[0-9]+$ && $avail =~ ^[0-9]+$ ]] || return 1
  # shellcheck disable=SC2034  # DISK_FREE and DISK_TOTAL are this function's output, read by the caller
  DISK_FREE=$avail DISK_TOTAL=$total
}

# output_entry LINE: an entry of a run's `outputs` file: its path into ENTRY, and OPTIONAL=1 when it
# ends with the optional mark `?` (dropped from ENTRY; matching nothing is then allowed).
# shellcheck disable=SC2034  # ENTRY and OPTIONAL are this function's output, read by the caller
output_entry() {
  ENTRY=$1
  OPTIONAL=
  if [[ $ENTRY == ?*'?' ]]; then
    ENTRY=${ENTRY%'?'}
    OPTIONAL=1
  fi
}

# output_matches WORK PATH: the files an output path brings, into MATCHES (names relative to WORK, its
# physical path). PATH is a file (itself), a folder `dir/` (every file under it) or a bash glob
# pattern (`*` `?` `[...]`; `**` crosses folders; a matched folder brings its files). Links are not
# judged here: inside_check judges each file. Names holding a new line or a tab, and top-level names
# stdout.log and stderr.log (the run's logs in the results), are never matched.
output_matches() {
  local work=$1 entry=$2 m f
  MATCHES=()
  if [[ $entry != */ && $entry != *[*?[]* ]]; then
    MATCHES=("$entry")
    return 0
  fi
  local found=()
  if [[ $entry == */ ]]; then
    [[ -d $work/$entry ]] && found=("$work/${entry%/}")
  else
    local IFS=
    local restore
    restore=$(shopt -p globstar nullglob dotglob)
    shopt -s globstar nullglob
    shopt -u dotglob
    # the work folder is quoted (taken as it is), the entry not (its glob characters expand); IFS is
    # empty, so a name with spaces stays one word
    # shellcheck disable=SC2206
    found=("$work"/$entry)
    eval "$restore"
  fi
  for m in "${found[@]}"; do
    if [[ -d $m ]]; then
      while IFS= read -r -d '' f; do
        MATCHES+=("${m#"$work/"}/$f")
      done < <(find "$m/" -mindepth 1 ! -type d -printf '%P\0' 2>/dev/null | sort -z)
    else
      MATCHES+=("${m#"$work/"}")
    fi
  done
  local kept=()
  for m in "${MATCHES[@]}"; do
    [[ $m == *[$'\n\t']* || $m == stdout.log || $m == stderr.log ]] || kept+=("$m")
  done
  MATCHES=("${kept[@]}")
}
