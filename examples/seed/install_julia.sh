#!/usr/bin/env bash
# The seed environment's set-up command: installs Julia with juliaup unless julia is already there.
set -euo pipefail

if command -v julia >/dev/null 2>&1; then
    echo "julia is already installed: $(julia --version)"
    exit 0
fi
curl -fsSL https://install.julialang.org | sh -s -- --yes --default-channel release
echo "julia installed under ${HOME}/.juliaup/bin"
