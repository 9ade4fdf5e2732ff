#!/usr/bin/env bash
# Katapult fetch: streams finished runs' logs and outputs home as one tar, written to stdout as it is
# made (nothing is stored on this instance, so outputs of any size go through).
#
# usage: fetch.sh R MAXBYTES     stream the runs asked for
#        fetch.sh R --ack        acknowledge runs Katapult has stored (one run id a line on stdin)
#
# stdin: one request a line, "<rid> TAB <name>", name being out.log, err.log or work/<output>, where
#        an output may be a folder (work/ckpt/) or a bash glob pattern (work/plots/*.png, work/**/*.json)
#        that stands for the files it matches (lib.sh output_matches; each one judged as a file);
#        the runs in the order they should come.
# stdout: first a manifest, one line each, then the line "tar" and a POSIX tar of the files packed:
#   skip  TAB <rid>/<name> TAB <reason>   a request (or a file a pattern matched) not packed, and why
#                                         ("matched nothing": a folder or pattern without a file)
#   later TAB <rid>                       a run left to a later batch (MAXBYTES reached)
#   as    TAB <packed> TAB <rid>/<name>   a request reached through a link inside its run's folder:
#                                         the tar holds the file under the name it really has
#   bytes TAB <n>                         the size of the files packed (the reader's progress)
#
# Streaming marks nothing fetched: only Katapult knows when it has stored a batch and saved its state,
# and it then says so with `--ack`, which gives each run named the file `fetched` and R/last_fetch the
# time (what the agent's idle stop and dead-man switch wait for). Every call refreshes R/heartbeat.
# Only regular files are packed, and never through a link that leads out of the run's work folder:
# such a request, and one that is a folder, a FIFO, a socket or a device, is skipped with the reason.
# Runs are packed in the order asked while their total size stays within MAXBYTES; the first run
# always goes, whatever its size.

# The whole script is one block: bash reads all of it before running any, so replacing the file
# while it runs cannot change what runs.
{
R=${1:?usage: fetch.sh R MAXBYTES}
R=${R%/}
MAX=${2:?usage: fetch.sh R MAXBYTES}
[[ $MAX =~ ^[0-9]+$ || $MAX == --ack ]] || { echo "fetch.sh: MAXBYTES must be a number of bytes" >&2; exit 2; }
BIN=${BASH_SOURCE[0]%/*}
[[ $BIN == "${BASH_SOURCE[0]}" ]] && BIN=.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$BIN/lib.sh" || exit 2
# tidy_runs DIR...: each fetched run keeps what `status`, `logs` and a later fetch read (its state files,
# logs and outputs); every other file of its work folder goes: the links to shared uploads, its copies
# of files, what the command left there. Only a finished run is tidied. One find and one rm for the
# whole batch, not a few processes per run: an acknowledgement may name hundreds of runs.
tidy_runs() {
  local d out f work here=$PWD works=() doomed=()
  local -A keep=()
  for d in "$@"; do
    rd "$d/state"
    [[ $RV == "$ST_DONE" || $RV == "$ST_ABORTED" || $RV == "$ST_PREEMPTED" ]] || continue
    [[ -d $d/work && ! -L $d/work ]] || continue
    # (the physical path, as inside_check wants it: cd is a builtin, a subshell would fork; back to
    # where it was at once, in case DIR is a relative path)
    cd -P -- "$d/work" 2>/dev/null || continue
    work=$PWD
    cd -- "$here" || return 0
    works+=("$work")
    if [[ -f $d/outputs ]]; then
      while IFS= read -r out || [[ -n $out ]]; do
        out=${out%$'\r'}
        [[ -n $out ]] || continue
        output_entry "$out"
        output_matches "$work" "$ENTRY"
        for f in "${MATCHES[@]}"; do
          keep[$work/$f]=1
          inside_check "$work" "$f"
          [[ -n $WHY ]] || keep[$work/$AS]=1
        done
      done <"$d/outputs"
    fi
    [[ -e $d/shared ]] && doomed+=("$d/shared")
  done
  ((${#works[@]})) || return 0
  while IFS= read -r -d '' f; do
    [[ -v keep[$f] ]] || doomed+=("$f")
  done < <(find "${works[@]}" -mindepth 1 ! -type d -print0 2>/dev/null)
  if ((${#doomed[@]})); then
    printf '%s\0' "${doomed[@]}" | xargs -0 rm -f --
  fi
  find "${works[@]}" -mindepth 1 -depth -type d -empty -delete 2>/dev/null
  return 0
}

# tidy_store F: drops the stored files no run refers to any more: a file whose only link is the store's
# own (the runs that shared it were tidied, the others had copies), unchanged for KATAPULT_STORE_GRACE
# seconds (3600; the time between its upload and the step that links it, and any link or unlink of it
# counts as a change).
tidy_store() {
  local grace=${KATAPULT_STORE_GRACE:-3600} hex='[0-9a-f]' pattern=''
  [[ $grace =~ ^[0-9]+$ ]] || grace=3600
  [[ -d $1 ]] || return 0
  for _ in {1..64}; do pattern+=$hex; done
  now   # after the unlinks: a file unlinked a moment ago is never newer than this second's end
  find "$1" -maxdepth 1 -type f -name "$pattern" -links 1 ! -newerct "@$((NOW + 1 - grace))" -delete 2>/dev/null
  return 0
}

# Katapult stored these runs and saved its state: they are fetched. A run id names a folder of runs/.
# On a machine the agent may shut down, an agent is started when none runs (after a stop and start,
# none does), so that the idle stop and the dead-man switch judge the machine again.
if [[ $MAX == --ack ]]; then
  now
  note "$R/heartbeat" "$NOW"
  acked=
  TIDY=()
  while IFS= read -r rid || [[ -n $rid ]]; do
    rid=${rid%$'\r'}
    [[ $rid =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ && -d $R/runs/$rid && ! -L $R/runs/$rid ]] || continue
    if [[ ! -f $R/runs/$rid/fetched ]]; then
      note "$R/runs/$rid/fetched" "$NOW"
      TIDY+=("$R/runs/$rid")
    fi
    acked=1
  done
  tidy_runs "${TIDY[@]}"
  [[ -n $acked ]] && note "$R/last_fetch" "$NOW" && tidy_store "$R/../../files"
  if [[ ! -e $R/stopped ]] && grep -qxE "shutdown ($SD_STOP|$SD_TERMINATE)" "$R/lifecycle" 2>/dev/null \
      && ! stamp_alive "$R/agent.pid"; then
    bash "$BIN/agent.sh" "$R" start >/dev/null
  fi
  exit 0
fi
cd -P -- "$R/runs" || exit 2
# Katapult speaks: the heartbeat the agent's dead-man switch reads (R is runs/..)
now
note ../heartbeat "$NOW"

# skip NAME REASON: NAME is not packed, and why
skip() {
  printf 'skip\t%s\t%s\n' "$1" "$2"
}

# check RID NAME: whether the request can be packed; the reason it cannot into WHY, and the name it is
# packed under into AS (itself, or the file a link inside the run's folder leads to)
check() {
  local rid=$1 name=$2 base=$1
  if [[ -L $rid || ($name == work/* && -L $rid/work) ]]; then
    WHY="cannot be read: the run's folder is a link"
    return
  fi
  [[ $name == work/* ]] && base+=/work name=${name#work/}
  inside_check "$PWD/$base" "$name"
  AS=$base/$AS
}

# expand RID NAME: the names a request stands for into NAMESOUT: itself, or for an output folder or
# pattern (work/dir/, work/plots/*.png) the files it matches in the run's work folder (none: skipped
# as "matched nothing")
expand() {
  NAMESOUT=("$2")
  [[ $2 == work/* && ($2 == */ || $2 == *[*?[]*) ]] || return 0
  [[ -L $1 || -L $1/work ]] && return 0   # check says why
  NAMESOUT=()
  local m
  output_matches "$PWD/$1/work" "${2#work/}"
  for m in "${MATCHES[@]}"; do
    NAMESOUT+=("work/$m")
  done
  ((${#NAMESOUT[@]})) || skip "$1/$2" "matched nothing"
}

ORDER=()
declare -A NAMES=()
while IFS=$'\t' read -r rid name || [[ -n $rid ]]; do
  name=${name%$'\r'}
  # a run id names a folder of runs/; a name is a log or a path inside work/ that never climbs out
  if [[ ! $rid =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]]; then
    continue
  fi
  if [[ $name != out.log && $name != err.log && ( $name != work/?* || /$name/ == */../* || $name == *//* ) ]]; then
    skip "$rid/$name" "is not a name Katapult asks for"
    continue
  fi
  [[ -v NAMES[$rid] ]] || ORDER+=("$rid")
  NAMES[$rid]+="$name"$'\n'
done

# the candidates that can be packed, by run, and their sizes (one stat for all, not following links)
CAND=()
declare -A RUNCAND=() PACKED=()
for rid in "${ORDER[@]}"; do
  while IFS= read -r asked; do
    [[ -n $asked ]] || continue
    expand "$rid" "$asked"
    for name in "${NAMESOUT[@]}"; do
      check "$rid" "$name"
      if [[ -n $WHY ]]; then
        skip "$rid/$name" "$WHY"
      elif [[ -v PACKED[$AS] ]]; then
        printf 'as\t%s\t%s\n' "$AS" "$rid/$name"
      else
        PACKED[$AS]=1
        [[ $AS == "$rid/$name" ]] || printf 'as\t%s\t%s\n' "$AS" "$rid/$name"
        CAND+=("$AS")
        RUNCAND[$rid]+="$AS"$'\n'
      fi
    done
  done <<<"${NAMES[$rid]}"
done
declare -A SIZE=()
if ((${#CAND[@]})); then
  while IFS=$'\t' read -r -d '' size name; do
    SIZE[$name]=$size
  done < <(stat --printf '%s\t%n\0' -- "${CAND[@]}" 2>/dev/null)
fi

# the batch: whole runs, in order, within MAX bytes (the first one always)
PACK=()
TOTAL=0
LATER=
for rid in "${ORDER[@]}"; do
  files=()
  bytes=0
  while IFS= read -r name; do
    [[ -n $name ]] || continue
    if [[ -v SIZE[$name] ]]; then
      files+=("$name")
      bytes=$((bytes + SIZE[$name]))
    else
      skip "$name" "was not found"
    fi
  done <<<"${RUNCAND[$rid]:-}"
  if [[ -n $LATER ]] || ((${#PACK[@]} && TOTAL + bytes > MAX)); then
    LATER=1
    printf 'later\t%s\n' "$rid"
    continue
  fi
  PACK+=("${files[@]}")
  TOTAL=$((TOTAL + bytes))
done

printf 'bytes\t%s\ntar\n' "$TOTAL"
if ((${#PACK[@]})); then
  # tar exits 1 when a file changed while it was read: what came is judged by the reader
  printf '%s\0' "${PACK[@]}" | tar --format=posix --pax-option=delete=atime,delete=ctime --no-recursion --null -T - -cf -
  code=$?
  ((code <= 1)) || exit "$code"
fi
exit 0
}
