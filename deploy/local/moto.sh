#!/usr/bin/env bash
# Finds a Python that can run moto (the DynamoDB, DynamoDB Streams and Secrets Manager emulator) at the
# version pinned in pom.xml, or installs that version into a virtual environment under target/.
#
#   deploy/local/moto.sh python   finds (or installs) it, and writes its path to target/moto/python
#
# The tests read that file and start deploy/local/moto_launcher.py with it. MOTO_PYTHON=/path/to/python
# chooses one by hand (it must import moto at the pinned version).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/target/moto/venv"
CHOSEN="$ROOT/target/moto/python"

die() {
  echo "ERROR: $*" >&2
  exit 1
}

pinned_version() {
  local v
  v="$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' "$ROOT/pom.xml" | sed -n 1p)"
  [ -n "$v" ] || die "pom.xml names no <moto.version>; it is the one place the moto version is pinned."
  echo "$v"
}

# The moto version a Python imports, or nothing.
moto_version_of() {
  "$1" -c 'import moto, moto.server; print(moto.__version__)' 2>/dev/null || true
}

resolve() {
  local want="$1" candidate
  if [ -n "${MOTO_PYTHON:-}" ]; then
    [ "$(moto_version_of "$MOTO_PYTHON")" = "$want" ] \
      || die "MOTO_PYTHON=$MOTO_PYTHON does not import moto $want. Unset it to let this script install moto, or install it there: $MOTO_PYTHON -m pip install 'moto[server]==$want'"
    echo "$MOTO_PYTHON"
    return
  fi
  for candidate in "$VENV/bin/python" "$(command -v python3 || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(moto_version_of "$candidate")" = "$want" ]; then
      # The real interpreter, not a version manager's shim.
      "$candidate" -c 'import sys; print(sys.executable)'
      return
    fi
  done
  command -v python3 >/dev/null 2>&1 \
    || die "Python 3 not found. The tests and the demo run moto, a Python program: install Python 3 with venv (e.g. 'apt-get install python3 python3-venv'), then run the command again."
  python3 -c 'import venv, ensurepip' 2>/dev/null \
    || die "python3 ($(command -v python3)) has no venv/ensurepip module, which is needed to install moto $want under target/: install it (e.g. 'apt-get install python3-venv'), then run the command again."
  echo "moto $want not found; installing it into $VENV (log: $ROOT/target/moto/install.log)" >&2
  mkdir -p "$ROOT/target/moto"
  rm -rf "$VENV"
  {
    python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet "moto[server]==$want"
  } >"$ROOT/target/moto/install.log" 2>&1 \
    || { tail -n 20 "$ROOT/target/moto/install.log" >&2; die "Could not install moto $want from PyPI into $VENV (full log: $ROOT/target/moto/install.log). Install it yourself ('python3 -m pip install \"moto[server]==$want\"') or point MOTO_PYTHON at a Python that has it."; }
  [ "$(moto_version_of "$VENV/bin/python")" = "$want" ] || die "moto $want was installed into $VENV but does not import."
  echo "$VENV/bin/python"
}

case "${1:-}" in
  python)
    want="$(pinned_version)"
    python="$(resolve "$want")"
    mkdir -p "$(dirname "$CHOSEN")"
    echo "$python" >"$CHOSEN.tmp" && mv "$CHOSEN.tmp" "$CHOSEN"
    echo "moto $want: $python"
    ;;
  *)
    die "usage: $0 python"
    ;;
esac
