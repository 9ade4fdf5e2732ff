#!/usr/bin/env bash
# Katapult environment set-up: builds one environment from its spec/ folder.
#
# usage: env.sh R/envs/<key>
#
# Steps, in order, each only when its spec file is there:
#   apt-get  spec/aptget                 apt-get update; apt-get install -y (sudo -n when not root)
#   conda    spec/conda | environment.yml   micromamba, mamba or conda: a prefix env in <key>/conda
#   pypi     spec/pypi | requirements.txt   pip install into the conda python, else a venv <key>/venv
#   julia    spec/julia                  Pkg.add into the project <key>/julia
#   command  spec/command                bash, cwd = <key>, with the environment activated
# spec/conda-root or spec/venv-root name an existing environment, used as it is (no conda or pip
# install). Success writes <key>/activate, then <key>/.ready; a failure writes <key>/.failed (one
# line: the step and its exit code). Everything printed goes to <key>/setup.log.

# The whole script is one block: bash reads all of it before running any, so replacing the file
# while it runs cannot change what runs.
{
SELF=${BASH_SOURCE[0]}
[[ $SELF == /* ]] || SELF=$PWD/$SELF
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "${SELF%/*}/lib.sh" || exit 1
cd -- "${1:?usage: env.sh R/envs/<key>}" || exit 1
E=$PWD
KEY=${E##*/}
R=${E%/*}
R=${R%/*}
S=$E/spec

exec </dev/null >>"$E/setup.log" 2>&1

export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# Non-interactive SSH sessions do not read the shell profile: also look where micromamba, conda
# and juliaup install themselves (after PATH, which wins).
PATH=$PATH:$HOME/.local/bin:$HOME/bin:$HOME/micromamba/bin:$HOME/.juliaup/bin
PATH=$PATH:$HOME/miniforge3/bin:$HOME/mambaforge/bin:$HOME/miniconda3/bin:$HOME/anaconda3/bin
PATH=$PATH:/opt/conda/bin
export PATH



fail() {
  log "set-up of $KEY failed: $1"
  put "$E/.failed" "$1"
  rm -f "$E/.setup" "$E/activate.tmp"
  exit 1
}

trap 'log "set-up of $KEY interrupted"; exit "$EX_SIGNAL"' TERM INT HUP

# read_list FILE: its non-blank lines, trimmed, without # comments, into LIST
read_list() {
  local line
  LIST=()
  [[ -f $1 ]] || return 1
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [[ -z $line || $line == '#'* ]] && continue
    LIST+=("$line")
  done <"$1"
  return 0
}

# step NAME CMD...: run CMD; on failure the set-up fails with "NAME failed (exit N)"
step() {
  local name=$1 rc
  shift
  log "\$ $*"
  "$@"
  rc=$?
  ((rc == 0)) || fail "$name failed (exit $rc)${HINT:+: $HINT}"
  HINT=
}

HINT=
PY=
BINS=()
CONDA_P=
VENV_P=

log "=== set-up of environment $KEY"
[[ -d $S ]] || fail "no spec folder"
rm -rf "$E/.failed" "$E/.ready" "$E/activate" "$E/activate.tmp" "$E/conda" "$E/venv" "$E/julia"

# --- apt-get -----------------------------------------------------------------------------------
if read_list "$S/aptget" && ((${#LIST[@]})); then
  APT=("${LIST[@]}")
  missing=1
  if command -v dpkg-query >/dev/null; then
    missing=
    for p in "${APT[@]}"; do
      st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
      [[ $st == *" installed" ]] || { missing=1; break; }
    done
  fi
  if [[ -z $missing ]]; then
    log "apt-get: ${APT[*]} already installed"
  else
    SUDO=()
    if [[ $(id -u) != 0 ]]; then
      command -v sudo >/dev/null || fail "apt-get needs root, and sudo is not installed"
      SUDO=(sudo -n DEBIAN_FRONTEND=noninteractive)
    fi
    # one apt-get at a time on this instance; wait for the dpkg lock (cloud-init, unattended upgrades)
    exec 8>>"$R/.apt.lock"
    flock 8
    HINT=${SUDO[*]:+"is passwordless sudo allowed?"}
    step "apt-get update" "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update
    HINT=${SUDO[*]:+"is passwordless sudo allowed?"}
    step "apt-get install" "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y "${APT[@]}"
    exec 8>&-
  fi
fi

# --- conda -------------------------------------------------------------------------------------
# home PATH: PATH with a leading ~/ made $HOME/, into HP
home() {
  HP=$1
  [[ $HP == \~/* ]] && HP=$HOME/${HP#\~/}
}

if read_list "$S/conda-root"; then
  home "${LIST[0]:-}"
  CONDA_P=$HP
  [[ -d $CONDA_P ]] || fail "conda environment $CONDA_P does not exist"
  log "conda: using $CONDA_P as it is"
  BINS+=("$CONDA_P/bin")
  [[ -x $CONDA_P/bin/python ]] && PY=$CONDA_P/bin/python
elif read_list "$S/venv-root"; then
  home "${LIST[0]:-}"
  VENV_P=$HP
  [[ -x $VENV_P/bin/python ]] || fail "venv $VENV_P does not exist (no bin/python)"
  log "venv: using $VENV_P as it is"
  BINS+=("$VENV_P/bin")
  PY=$VENV_P/bin/python
else
  PKGS=()
  read_list "$S/conda" && PKGS=("${LIST[@]}")
  if [[ -f $S/environment.yml ]] || ((${#PKGS[@]})); then
    TOOL=
    for t in micromamba mamba conda; do
      if command -v "$t" >/dev/null; then
        TOOL=$t
        break
      fi
    done
    [[ -n $TOOL ]] || fail "conda packages need micromamba, mamba or conda, and none is installed: install micromamba (https://mamba.readthedocs.io/en/latest/installation/micromamba-installation.html)"
    CONDA_P=$E/conda
    if [[ -f $S/environment.yml ]]; then
      if [[ $TOOL == micromamba ]]; then
        step "micromamba create" micromamba create -y -p "$CONDA_P" -f "$S/environment.yml"
      else
        step "$TOOL env create" "$TOOL" env create -p "$CONDA_P" -f "$S/environment.yml"
      fi
    else
      CH=(conda-forge)
      read_list "$S/channels" && CH=("${LIST[@]}")
      CARGS=()
      for c in "${CH[@]}"; do CARGS+=(-c "$c"); done
      step "$TOOL create" "$TOOL" create -y -p "$CONDA_P" "${CARGS[@]}" "${PKGS[@]}"
    fi
    BINS+=("$CONDA_P/bin")
    [[ -x $CONDA_P/bin/python ]] && PY=$CONDA_P/bin/python
  fi
fi

# --- pypi --------------------------------------------------------------------------------------
REQ=()
if [[ -f $S/requirements.txt ]]; then
  REQ=(-r "$S/requirements.txt")
elif read_list "$S/pypi"; then
  REQ=("${LIST[@]}")
fi
if ((${#REQ[@]})); then
  if [[ -n $VENV_P || ( -n $CONDA_P && $CONDA_P != "$E/conda" ) ]]; then
    log "pypi: the existing environment is used as it is, nothing installed"
  else
    if [[ -z $PY ]]; then
      command -v python3 >/dev/null || fail "pypi packages need python3, and it is not installed"
      HINT="on Debian/Ubuntu, install python3-venv"
      step "python3 -m venv" python3 -m venv "$E/venv"
      PY=$E/venv/bin/python
      BINS=("$E/venv/bin" "${BINS[@]}")
      VENV_P=$E/venv
    fi
    PIPARGS=()
    read_list "$S/pip-args" && PIPARGS=("${LIST[@]}")
    step "pip install" "$PY" -m pip install "${PIPARGS[@]}" "${REQ[@]}"
  fi
fi

# --- julia -------------------------------------------------------------------------------------
JL=
if read_list "$S/julia" && ((${#LIST[@]})); then
  JULIA=$(command -v julia) || fail "julia packages need julia, and it is not installed: install it with juliaup (https://julialang.org/downloads/)"
  JL=$E/julia
  mkdir -p "$JL"
  export JULIA_PROJECT=$JL
  step "julia Pkg.add" julia -e 'using Pkg; Pkg.add(ARGS)' "${LIST[@]}"
  BINS+=("${JULIA%/*}")
fi

# --- activate, command -------------------------------------------------------------------------
{
  echo "# environment $KEY, written by katapult env.sh: runs source it"
  if ((${#BINS[@]})); then
    b=$(printf '%s:' "${BINS[@]}")
    # shellcheck disable=SC2016
    printf 'export PATH=%q"$PATH"\n' "$b"
  fi
  [[ -z $PY ]] || printf 'export KATAPULT_PYTHON=%q\n' "$PY"
  [[ -z $CONDA_P ]] || printf 'export CONDA_PREFIX=%q\n' "$CONDA_P"
  [[ -z $VENV_P ]] || printf 'export VIRTUAL_ENV=%q\n' "$VENV_P"
  [[ -z $JL ]] || printf 'export JULIA_PROJECT=%q\n' "$JL"
} >"$E/activate.tmp" || fail "cannot write activate"

if [[ -f $S/command ]]; then
  # shellcheck disable=SC2016
  step "command" bash -c 'source "$1" && cd "$2" && exec bash "$3"' command \
    "$E/activate.tmp" "$E" "$S/command"
fi

mv -f "$E/activate.tmp" "$E/activate" || fail "cannot write activate"
printf -v NOW '%(%s)T' -1
put "$E/.ready" "$NOW"
rm -f "$E/.setup" "$E/.attempts"
log "=== environment $KEY is ready"
exit
}
