#!/usr/bin/env bash
# Runs a command with a working OS keychain. On Linux without one (CI, SSH, containers) it starts
# a private D-Bus session and a gnome-keyring daemon whose keyrings live in a throwaway folder,
# unlocked, so tests exercise the real Secret Service. Elsewhere it runs the command as is.
#
#   scripts/with-keyring.sh <command> [args...]
#   BRANCHDESK_KEYRING_DIR=DIR keeps the keyrings in DIR instead (the demo uses this).
set -euo pipefail

if [[ "$(uname -s)" != Linux || -n "${BRANCHDESK_KEYRING_READY:-}" ]]; then
  exec "$@"
fi

if [[ "${1:-}" != --inside-session ]]; then
  for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    if ! command -v "$tool" >/dev/null; then
      echo "with-keyring: '$tool' is missing; install Debian's dbus, dbus-bin and gnome-keyring packages (.ci/run does)." >&2
      exit 127
    fi
  done
  exec dbus-run-session -- "$0" --inside-session "$@" 2> >(grep --line-buffered -Ev 'Failed to set fd limit|^dbus-daemon\[[0-9]+\]: \[session' >&2)
fi
shift

own_dir=""
if [[ -n "${BRANCHDESK_KEYRING_DIR:-}" ]]; then
  mkdir -p "$BRANCHDESK_KEYRING_DIR" && chmod 700 "$BRANCHDESK_KEYRING_DIR"
  export XDG_DATA_HOME="$BRANCHDESK_KEYRING_DIR"
else
  own_dir="$(mktemp -d -t branchdesk-keyring.XXXXXX)"
  export XDG_DATA_HOME="$own_dir"
fi
export XDG_RUNTIME_DIR="$(mktemp -d -t branchdesk-runtime.XXXXXX)"
chmod 700 "$XDG_RUNTIME_DIR"

# The password only unlocks this throwaway (or demo) login keyring.
printf '%s' "${BRANCHDESK_KEYRING_PASSWORD:-branchdesk-local}" |
  gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null

for _ in $(seq 1 50); do
  # Ask the bus (not the service, which would D-Bus-activate a second daemon) who owns it.
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

export BRANCHDESK_KEYRING_READY=1
status=0
"$@" || status=$?
# Stop only this session's daemon: the one whose environment names our private runtime dir.
for proc in /proc/[0-9]*; do
  if [[ "$(cat "$proc/comm" 2>/dev/null)" == gnome-keyring-d* ]] &&
    { tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; then
    kill "${proc#/proc/}" 2>/dev/null || true
  fi
done
rm -rf "$XDG_RUNTIME_DIR" ${own_dir:+"$own_dir"}
exit "$status"
