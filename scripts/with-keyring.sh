#!/usr/bin/env bash
# Runs a command with a working OS keychain. On Linux without one (CI, SSH, containers) it starts
# a private D-Bus session whose Secret Service is a gnome-keyring daemon with its keyrings in a
# throwaway folder, unlocked, so tests exercise the real Secret Service. Elsewhere it runs the
# command as is.
#
#   scripts/with-keyring.sh <command> [args...]
#   BRANCHDESK_KEYRING_DIR=DIR keeps the keyrings in DIR instead (the demo uses this).
#
# The daemon is D-Bus-activated, as in a desktop session: the bus starts it on the first call
# and starts it again on the next call if it dies. gnome-keyring 42 can abort when a client
# vanishes mid-request (a race upstream fixed later; a killed short-lived process hits it);
# a desktop's session manager restarts it, and so does this bus. The daemon's own messages go
# to keyring.log in the session folder and are printed if it ever died.
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

  session="$(mktemp -d -t branchdesk-keyring-session.XXXXXX)"
  own_data=""
  if [[ -n "${BRANCHDESK_KEYRING_DIR:-}" ]]; then
    mkdir -p "$BRANCHDESK_KEYRING_DIR" && chmod 700 "$BRANCHDESK_KEYRING_DIR"
    data_home="$(cd "$BRANCHDESK_KEYRING_DIR" && pwd)"
  else
    own_data="$(mktemp -d -t branchdesk-keyring.XXXXXX)"
    data_home="$own_data"
  fi
  runtime_dir="$session/runtime"
  mkdir -m 700 "$runtime_dir" "$session/services"

  # The daemon, as the bus starts it. The password only unlocks this throwaway (or demo) login
  # keyring; it sits in this 0700 folder for as long as the session lasts.
  printf '%s' "${BRANCHDESK_KEYRING_PASSWORD:-branchdesk-local}" >"$session/password"
  chmod 600 "$session/password"
  cat >"$session/keyring-daemon" <<EOF
#!/bin/sh
export XDG_DATA_HOME='$data_home' XDG_RUNTIME_DIR='$runtime_dir'
echo "\$(date '+%F %T') gnome-keyring-daemon starting" >>'$session/keyring.log'
exec gnome-keyring-daemon --foreground --unlock --components=secrets \
  <'$session/password' >>'$session/keyring.log' 2>&1
EOF
  chmod 700 "$session/keyring-daemon"
  cat >"$session/services/org.freedesktop.secrets.service" <<EOF
[D-BUS Service]
Name=org.freedesktop.secrets
Exec=$session/keyring-daemon
EOF
  # The standard session bus, with this folder's service first: it wins over the system's.
  cat >"$session/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$session/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
EOF

  status=0
  XDG_DATA_HOME="$data_home" XDG_RUNTIME_DIR="$runtime_dir" BRANCHDESK_KEYRING_SESSION="$session" \
    dbus-run-session --config-file="$session/bus.conf" -- "$0" --inside-session "$@" \
    2> >(grep --line-buffered -Ev 'Failed to set fd limit|^dbus-daemon\[[0-9]+\]: \[session' >&2) ||
    status=$?
  starts="$(grep -c 'gnome-keyring-daemon starting' "$session/keyring.log" 2>/dev/null || true)"
  if [[ "${starts:-0}" -gt 1 ]]; then
    echo "with-keyring: gnome-keyring-daemon died and was restarted $((starts - 1)) time(s); its log:" >&2
    tail -n 40 "$session/keyring.log" >&2 || true
  fi
  rm -rf "$session" ${own_data:+"$own_data"}
  exit "$status"
fi
shift

# Start the daemon now (rather than on the first call) and wait until it has the name.
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
for _ in $(seq 1 50); do
  # Ask the bus (not the service) who owns the name.
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

export BRANCHDESK_KEYRING_READY=1
# dbus-run-session ends the bus when this returns, and the daemon with it.
exec "$@"
