# shellcheck shell=bash
# Katapult's spot interruption watch: sourced by agent.sh, never run. It uses the agent's R, ACTIVE,
# NOW and helpers.
#
# On a spot instance (R/spot holds the instance metadata address up to /latest, written at install),
# the agent asks the metadata service every KATAPULT_SPOT_EVERY seconds (5) whether an interruption
# notice came: IMDSv2, a token by PUT api/token, then GET meta-data/spot/instance-action (404: none;
# a notice is {"action":"terminate","time":"2026-12-07T10:00:00Z"}). Each call has short timeouts, so
# a metadata service that does not answer costs the loop 2 s at most.
#
# On a notice, once: R/preempted gets its time (nothing starts on this instance any more); every
# active run gets the file its job knows as $KATAPULT_PREEMPTED (the notice time), then TERM to its
# process group (run.sh gives the command KATAPULT_PREEMPT_GRACE seconds to save a checkpoint, then
# marks it PREEMPTED); every queued run is marked PREEMPTED and leaves the queue. Katapult places
# PREEMPTED runs on another instance.

SPOT_EVERY=$(seconds "${KATAPULT_SPOT_EVERY:-}" 5)
SPOT_AT=0
PREEMPTED_AT=           # the notice time, once one came

# spot_notice: whether the metadata service holds an interruption notice; its time into NOTICE.
spot_notice() {
  local base token body auth=()
  rd "$R/spot" && [[ $RV == http://* || $RV == https://* ]] || return 1
  base=${RV%/}
  token=$(curl -sf --connect-timeout 1 --max-time 2 -X PUT \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$base/api/token" 2>/dev/null) || token=
  [[ $token =~ ^[A-Za-z0-9+/=_-]+$ ]] && auth=(-H "X-aws-ec2-metadata-token: $token")
  body=$(curl -sf --connect-timeout 1 --max-time 2 "${auth[@]}" \
    "$base/meta-data/spot/instance-action" 2>/dev/null) || return 1
  NOTICE=now
  if [[ $body =~ \"time\"[[:space:]]*:[[:space:]]*\"([0-9A-Za-z:.+-]+)\" ]]; then
    NOTICE=${BASH_REMATCH[1]}
  fi
  return 0
}

# preempt DIR REASON: the run in DIR becomes PREEMPTED, its reason code and prose written first.
preempt() {
  put "$1/reason_code" "$RC_PREEMPTED"
  put "$1/reason" "$2"
  [[ -f $1/end ]] || { now; put "$1/end" "$NOW"; }
  put "$1/state" "$ST_PREEMPTED"
}

# preempt_queue: every queued run is PREEMPTED and leaves the queue (nothing starts here any more).
preempt_queue() {
  local q rid d
  queue_names
  for q in "${Q[@]}"; do
    rid=${q##*/}
    d=$R/runs/$rid
    if [[ $rid =~ $NAME_RE && -d $d ]] && rd "$d/state" && [[ $RV == "$ST_WAIT" || $RV == "$ST_QUEUE" || -z $RV ]]; then
      preempt "$d" "spot interruption notice (instance goes away at $PREEMPTED_AT)"
      log "run $rid: $ST_PREEMPTED (queued)"
    fi
    rm -f "$q"
    forget "$rid"
  done
}

# preempt_active: every active run is told (its KATAPULT_PREEMPTED file), then TERMed.
preempt_active() {
  local rid d
  for rid in "${!ACTIVE[@]}"; do
    d=$R/runs/$rid
    put "$d/preempted" "$PREEMPTED_AT"
    if rd "$d/pid" && leader_alive "$RV"; then
      kill -TERM -- "-$RV" 2>/dev/null
      log "run $rid: spot interruption notice, TERM sent"
    fi
  done
}

# watch_spot: on a spot instance, asks for a notice every SPOT_EVERY seconds and acts on the first.
# A notice found by an earlier agent (R/preempted) still holds.
watch_spot() {
  if [[ -z $PREEMPTED_AT ]]; then
    [[ -f $R/spot ]] || return 0
    if rd "$R/preempted" && [[ -n $RV ]]; then
      PREEMPTED_AT=$RV
    else
      now
      ((NOW - SPOT_AT >= SPOT_EVERY)) || return 0
      SPOT_AT=$NOW
      spot_notice || return 0
      PREEMPTED_AT=$NOTICE
      put "$R/preempted" "$NOTICE"
      log "agent: spot interruption notice (instance goes away at $NOTICE)"
      preempt_active
    fi
  fi
  preempt_queue
}
