# shellcheck shell=bash
# Katapult's helpers shared by agent.sh, run.sh, env.sh and poll.sh: sourced, never run.

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
