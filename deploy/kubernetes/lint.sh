#!/usr/bin/env bash
# Lints deploy/kubernetes/Dockerfile with dockerfilelint (npm, pinned below), installed under target/ when missing, and
# fails on any issue (run by .ci/run). hadolint would be the first choice but is served by none of the package
# registries this project builds from. The manifests are validated by mvn verify (KubernetesDeploymentTest).
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCKERFILELINT_VERSION=1.8.0
PREFIX=target/dockerfilelint
BIN="$PREFIX/node_modules/.bin/dockerfilelint"

command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js and npm (apt-get install npm) to lint the Dockerfile" >&2; exit 1; }
installed=""
[ -x "$BIN" ] && installed="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$PREFIX/node_modules/dockerfilelint/package.json" | sed -n 1p)"
if [ "$installed" != "$DOCKERFILELINT_VERSION" ]; then
  echo "installing dockerfilelint@$DOCKERFILELINT_VERSION under $PREFIX"
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --silent "dockerfilelint@$DOCKERFILELINT_VERSION" >"$PREFIX/install.log" 2>&1 \
    || { cat "$PREFIX/install.log" >&2; echo "could not install dockerfilelint@$DOCKERFILELINT_VERSION from npm" >&2; exit 1; }
fi

echo "dockerfilelint $DOCKERFILELINT_VERSION: deploy/kubernetes/Dockerfile"
# It exits with the number of issues it found.
"$BIN" deploy/kubernetes/Dockerfile
echo "dockerfilelint: no issues"
