#!/usr/bin/env bash
# The remote maestro's folder on its instance: set it up, start Katapult there detached and at most once, and
# answer the laptop's questions about it. Usage: maestro.sh COMMAND DIR [ARGS...], DIR relative to $HOME.
#   prepare DIR          a headless JRE (17+) when java is missing or too old, and the folder's layout
#   start DIR CONFIG     starts `katapult run CONFIG` detached from the SSH session; a second start is a no-op
#   serve DIR CONFIG     (what start runs under the lock) the maestro itself; records its exit code
#   state DIR            prints running or ended EXIT_CODE or never
#   halt DIR             ends the maestro process, waiting until its lock is free
#   katapult DIR ARGS... runs one Katapult command in the maestro's workspace (status --json, logs, stop, down)
#   fetched DIR          records that the laptop fetched the results (the maestro's idle rule counts from here)
#   watch DIR            (what every other command starts when DIR/lifecycle exists, at most once) applies the
#                        idle and dead-man rule of lifecycle.sh to the maestro machine itself
# Every command but serve and watch records that the laptop spoke (DIR/heard).
set -euo pipefail

command_name=${1:?command}
dir="$HOME/${2:?folder}"
shift 2

java_major() {
    local version
    version=$(java -version 2>&1 | head -n 1 | sed -E 's/[^"]*"([0-9]+)(\.[0-9]+)*.*/\1/; s/^1\.//')
    case "$version" in
        ''|*[!0-9]*) echo 0 ;;
        *) echo "$version" ;;
    esac
}

install_java() {
    if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ]; then
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo -n"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q openjdk-17-jre-headless >/dev/null
}

katapult_java() {
    local classpath
    classpath=$(cat "$dir/classpath")
    cd "$dir"
    if [ -f "$dir/env" ]; then
        # shellcheck disable=SC1091
        . "$dir/env"
    fi
    KATAPULT_HOME="$dir/home" KATAPULT_MAESTRO=1 exec java -cp "$classpath" katapult.cli.Main "$@"
}

locked() {
    # the lock is free only while no maestro process holds it
    ! flock -n "$dir/maestro.lock" true
}

mtime() {
    stat -c %Y "$1" 2>/dev/null || echo 0
}

# shellcheck disable=SC2034  # the L_ names are read by lifecycle (lifecycle.sh, which watch sources)
# judge: one snapshot of the maestro for lifecycle.sh. It is busy while its Katapult runs; its results are
# unfetched when its Katapult ended after the laptop's last fetch; it is idle since the latest of that end, that
# fetch and the laptop's last word; the laptop's last word (or the end) is the heartbeat.
judge() {
    local ended fetched heard key value
    ended=$(mtime "$dir/exit")
    fetched=$(cat "$dir/fetched" 2>/dev/null || echo 0)
    [[ $fetched =~ ^[0-9]+$ ]] || fetched=0
    heard=$(mtime "$dir/heard")
    L_SHUTDOWN=$SD_NONE L_IDLE_STOP=0 L_HB_TIMEOUT=1800 L_ABANDON_AFTER=86400
    while read -r key value; do
        [[ $value =~ ^[a-z0-9]+$ ]] || continue
        case $key in
            shutdown) L_SHUTDOWN=$value ;;
            idle_stop) L_IDLE_STOP=$value ;;
            heartbeat_timeout) L_HB_TIMEOUT=$value ;;
            abandon_after) L_ABANDON_AFTER=$value ;;
        esac
    done <"$dir/lifecycle"
    L_NOW=$(date +%s)
    L_BUSY=0
    if locked; then
        L_BUSY=1
    fi
    L_UNFETCHED=0
    if ((ended > fetched)); then
        L_UNFETCHED=1
    fi
    L_IDLE_SINCE=$(printf '%s\n' "$ended" "$fetched" "$heard" | sort -n | tail -n 1)
    L_HEARTBEAT=$(printf '%s\n' "$ended" "$heard" | sort -n | tail -n 1)
    lifecycle
}

# watch_once: starts the watcher when the maestro's lifecycle file says its provider owns the machine (a shutdown
# stops or terminates it) and no watcher runs (after a reboot too)
watch_once() {
    if grep -Eq '^shutdown (stop|terminate)$' "$dir/lifecycle" 2>/dev/null && flock -n "$dir/watch.lock" true; then
        setsid nohup flock -n "$dir/watch.lock" bash "$0" watch "${dir#"$HOME"/}" \
            >>"$dir/watch.log" 2>&1 </dev/null &
    fi
}

if [[ $command_name != serve && $command_name != watch ]]; then
    mkdir -p "$dir"
    touch "$dir/heard"
    watch_once
fi

case "$command_name" in
    prepare)
        install_java
        mkdir -p "$dir/jars" "$dir/work" "$dir/home"
        chmod 700 "$dir"
        echo "java $(java_major)"
        ;;
    start)
        config=${1:?config}
        if locked; then
            echo "running"
            exit 0
        fi
        rm -f "$dir/exit"
        setsid nohup flock -n "$dir/maestro.lock" bash "$0" serve "${dir#"$HOME"/}" "$config" \
            >>"$dir/maestro.log" 2>&1 </dev/null &
        echo "started"
        ;;
    serve)
        config=${1:?config}
        # start made this process group its own (setsid): halt ends the whole group, Katapult's JVM included
        ps -o pgid= -p "$$" | tr -d ' ' >"$dir/maestro.pgid"
        set +e
        # the maestro has no terminal to ask confirm_above on: the laptop chose to hand the session over
        (katapult_java run --yes -C "$dir/work" "$config")
        code=$?
        set -e
        echo "$code" >"$dir/exit"
        ;;
    state)
        if locked; then
            echo "running"
        elif [ -f "$dir/exit" ]; then
            echo "ended $(cat "$dir/exit")"
        else
            echo "never"
        fi
        ;;
    halt)
        if locked && [ -f "$dir/maestro.pgid" ]; then
            kill -TERM -- "-$(cat "$dir/maestro.pgid")" 2>/dev/null || true
            for _ in $(seq 1 100); do
                locked || break
                sleep 0.1
            done
            if locked; then
                kill -KILL -- "-$(cat "$dir/maestro.pgid")" 2>/dev/null || true
                sleep 0.5
            fi
        fi
        if locked; then
            echo "still running"
            exit 1
        fi
        echo "halted"
        ;;
    katapult)
        katapult_java "$@" -C "$dir/work"
        ;;
    fetched)
        date +%s >"$dir/fetched"
        ;;
    watch)
        here=$(cd "$(dirname "$0")" && pwd)
        # shellcheck source=protocol.sh source-path=SCRIPTDIR
        . "$here/protocol.sh"
        # shellcheck source=lifecycle.sh source-path=SCRIPTDIR
        . "$here/lifecycle.sh"
        # the folder's removal (down) or a lifecycle file without a shutdown ends the watch
        while sleep "${KATAPULT_MAESTRO_WATCH_EVERY:-5}" && [ -f "$dir/lifecycle" ]; do
            judge
            if [[ $L_OUT == shutdown* ]]; then
                echo "$(date -u +%FT%TZ) ${L_OUT#shutdown }: shutting the maestro down"
                bash -c "${KATAPULT_SHUTDOWN_COMMAND:-sudo -n shutdown -h now}" || true
                exit 0
            fi
        done
        ;;
    *)
        echo "maestro.sh: unknown command $command_name" >&2
        exit 2
        ;;
esac
