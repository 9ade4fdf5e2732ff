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
        (katapult_java run -C "$dir/work" "$config")
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
    *)
        echo "maestro.sh: unknown command $command_name" >&2
        exit 2
        ;;
esac
