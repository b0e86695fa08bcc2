#!/usr/bin/env bash
# Create the project's virtualenv. On Debian, `python3 -m venv` needs the python3-venv package:
# install it when missing and running as root, else say which package to install.
set -euo pipefail
python="$1"
venv="$2"
if [ -z "$python" ]; then
    echo "Python 3.11 is needed: install it (Debian: apt-get install python3.11)." >&2
    exit 1
fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$version" != "3.11" ]; then
    echo "Python 3.11 is needed, but $python is $version. Run: make PYTHON=/path/to/python3.11 ..." >&2
    exit 1
fi
if ! "$python" -m venv --clear "$venv" 2>/dev/null; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Installing python3-venv (needed to create $venv)..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3.11-venv >/dev/null
        "$python" -m venv --clear "$venv"
    else
        echo "Could not create a virtualenv: install Debian's python3.11-venv package (as root: apt-get install python3.11-venv)." >&2
        exit 1
    fi
fi
