# shellcheck shell=bash
# Katapult's lifecycle rule: whether this instance shuts itself down now, as a pure function of a
# snapshot (no file, no process, no clock). agent.sh sources it and calls `lifecycle` while it has
# nothing to run; `lifecycle_io` is the same function over stdin and stdout, for tests and for people.
#
# lifecycle reads
#   L_SHUTDOWN     what a shutdown does to this machine: $SD_NONE (the provider does not own it:
#                  never shut down), $SD_STOP (stopped, disk kept), $SD_TERMINATE (one-time spot:
#                  destroyed, results with it)
#   L_NOW          the time, in epoch seconds
#   L_BUSY         1 when a run is active or queued, or an environment is being set up; else 0
#   L_UNFETCHED    how many finished runs Katapult has not fetched
#   L_IDLE_SINCE   since when nothing was to do or fetch (the later of the last run's end, the
#                  last fetch, the agent's start)
#   L_HEARTBEAT    when Katapult last spoke to this instance (a poll, a fetch, a deploy step)
#   L_IDLE_STOP    seconds of idleness before an idle stop; 0 when idle stop is off
#   L_HB_TIMEOUT   seconds without word from Katapult before the dead-man switch
#   L_ABANDON_AFTER      seconds without word after which results that a shutdown destroys are given up
# and sets L_OUT to "stay", or to "shutdown idle|deadman|abandon". The rule:
#   - never on a machine the provider does not own, never while anything runs or waits;
#   - idle: every finished run fetched and L_IDLE_STOP elapsed since L_IDLE_SINCE;
#   - deadman: L_HB_TIMEOUT elapsed since L_HEARTBEAT, even with unfetched results, unless the
#     shutdown destroys the machine (terminate) and results are unfetched: then
#   - abandon: L_ABANDON_AFTER elapsed since L_HEARTBEAT.
lifecycle() {
  L_OUT=stay
  [[ $L_SHUTDOWN == "$SD_STOP" || $L_SHUTDOWN == "$SD_TERMINATE" ]] || return 0
  ((L_BUSY)) && return 0
  if ((L_IDLE_STOP > 0 && L_UNFETCHED == 0 && L_NOW - L_IDLE_SINCE >= L_IDLE_STOP)); then
    L_OUT="shutdown $LC_IDLE"
    return 0
  fi
  ((L_NOW - L_HEARTBEAT >= L_HB_TIMEOUT)) || return 0
  if [[ $L_SHUTDOWN == "$SD_STOP" ]] || ((L_UNFETCHED == 0)); then
    L_OUT="shutdown $LC_DEADMAN"
  elif ((L_NOW - L_HEARTBEAT >= L_ABANDON_AFTER)); then
    L_OUT="shutdown $LC_ABANDON"
  fi
  return 0
}

# lifecycle_io: lifecycle over text. stdin: "name value" lines, names as above without L_ and in
# lower case (shutdown, now, busy, unfetched, idle_since, heartbeat, idle_stop, hb_timeout,
# abandon); stdout: L_OUT.
lifecycle_io() {
  local key value
  L_SHUTDOWN=$SD_NONE L_NOW=0 L_BUSY=0 L_UNFETCHED=0 L_IDLE_SINCE=0 L_HEARTBEAT=0
  L_IDLE_STOP=600 L_HB_TIMEOUT=1800 L_ABANDON_AFTER=86400
  while read -r key value; do
    [[ $value =~ ^[a-z0-9]+$ ]] || continue
    case $key in
      shutdown) L_SHUTDOWN=$value ;;
      now) L_NOW=$value ;;
      busy) L_BUSY=$value ;;
      unfetched) L_UNFETCHED=$value ;;
      idle_since) L_IDLE_SINCE=$value ;;
      heartbeat) L_HEARTBEAT=$value ;;
      idle_stop) L_IDLE_STOP=$value ;;
      hb_timeout) L_HB_TIMEOUT=$value ;;
      abandon) L_ABANDON_AFTER=$value ;;
    esac
  done
  lifecycle
  printf '%s\n' "$L_OUT"
}
