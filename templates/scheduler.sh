# shellcheck shell=bash
# Katapult's scheduler: which queued runs start now on the free cpus, as a pure function of a
# snapshot (no file, no process, no clock). agent.sh sources it and calls `schedule` every pass;
# `schedule_io` is the same function over stdin and stdout, for tests and for people.
#
# schedule reads
#   S_TOTAL     the instance's cpus
#   S_USED      the cpus held by the IDLE/RUNNING runs
#   S_NOW       the time, in epoch seconds
#   S_PATIENCE  seconds a run that does not fit may be passed by later, smaller runs
#   S_RUNS      the queued runs whose environment is ready (or that have none), in queue order, each
#               "rid need since known env": cpus it needs; since when it waits for cpus ('-' if it
#               does not); whether the agent saw it in an earlier pass (1/0); whether it has an
#               environment (1/0)
# and sets S_OUT, in queue order, one entry per run it decides on:
#   "start rid need"   start it now, holding need cpus (at most the instance's: a larger run runs alone)
#   "wait rid since"   it stays QUEUE, waiting for cpus since then
# Runs start in order while their cpus fit. A run that does not fit may be passed by later, smaller
# runs for S_PATIENCE seconds; after that its cpus are kept for it, so it cannot starve. A run seen
# before, without an environment, is not looked at while every cpu is taken: nothing can start then.
schedule() {
  local used=$S_USED reserved=0 run f rid need since known env
  S_OUT=()
  for run in "${S_RUNS[@]}"; do
    # split by words, without a here-string (a temporary file on older bash): no field holds a glob
    # character, run ids being [A-Za-z0-9._-]
    # shellcheck disable=SC2206
    f=($run)
    rid=${f[0]} need=${f[1]} since=${f[2]} known=${f[3]} env=${f[4]}
    ((known && !env && used >= S_TOTAL)) && continue
    ((need > S_TOTAL)) && need=$S_TOTAL
    if ((used + need <= S_TOTAL - reserved)); then
      S_OUT+=("start $rid $need")
      used=$((used + need))
      continue
    fi
    [[ $since == - ]] && since=$S_NOW
    S_OUT+=("wait $rid $since")
    ((S_NOW - since >= S_PATIENCE)) && reserved=$((reserved + need))
  done
  return 0
}

# schedule_io: schedule over text. stdin: "total N", "used N", "now N", "patience N" and one line
# "run rid need since known env" per queued run, in order; stdout: S_OUT, one entry a line.
schedule_io() {
  local key rest
  S_TOTAL=1 S_USED=0 S_NOW=0 S_PATIENCE=60 S_RUNS=()
  while read -r key rest; do
    case $key in
      total) S_TOTAL=$rest ;;
      used) S_USED=$rest ;;
      now) S_NOW=$rest ;;
      patience) S_PATIENCE=$rest ;;
      run) S_RUNS+=("$rest") ;;
    esac
  done
  schedule
  ((${#S_OUT[@]} == 0)) || printf '%s\n' "${S_OUT[@]}"
}
