#!/usr/bin/env bash
# Runs COMMAND inside a private D-Bus session with an unlocked gnome-keyring (the Secret
# Service), under a throwaway HOME and XDG folders, so tests use the real OS keychain on a
# headless machine (CI, containers) without ever touching the user's own keyring.
#
# Usage: bash scripts/with-keyring.sh COMMAND [ARG...]     e.g. ... npx vitest run test/electron/core/keychain
# Exit status: COMMAND's; 2 when the keyring could not be started.
# Needs the Debian packages dbus (dbus-run-session, dbus-send) and gnome-keyring:
#   apt-get install -y dbus gnome-keyring
set -euo pipefail

if [[ ${WITH_KEYRING_INNER:-} != 1 ]]; then
  [[ $# -gt 0 ]] || { echo "usage: with-keyring.sh COMMAND [ARG...]" >&2; exit 2; }
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "with-keyring: $tool missing (apt-get install -y dbus gnome-keyring)" >&2; exit 2; }
  done
  home=$(mktemp -d "${TMPDIR:-/tmp}/with-keyring.XXXXXX")
  # No exec below: the trap must run to remove the throwaway keyring (it holds test secrets).
  trap 'rm -rf "$home"' EXIT
  # npm keeps its real cache (no re-downloads under npx) and skips its update check.
  export npm_config_cache=${npm_config_cache:-$HOME/.npm} npm_config_update_notifier=false
  # Every XDG folder is overridden: on a desktop they point at the user's real keyring.
  export HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config \
    XDG_CACHE_HOME=$home/.cache XDG_RUNTIME_DIR=$home/run WITH_KEYRING_INNER=1
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  status=0
  # dbus-daemon warns "Failed to set fd limit" when not allowed to raise it: harmless, filtered.
  dbus-run-session -- bash "${BASH_SOURCE[0]}" "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2) || status=$?
  exit "$status"
fi

# Inside the private session. The daemon runs in the foreground as our child so that it is
# stopped by pid when COMMAND ends: a daemon that had not yet joined the bus would not notice
# the bus going away and would outlive the session. --unlock reads the password from stdin
# and creates/unlocks the default "login" keyring; the control socket is the default
# $XDG_RUNTIME_DIR/keyring, so no variable needs exporting.
gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null \
  < <(printf '%s' 'with-keyring-test-password') &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true' EXIT

# Wait (bounded, ~5 s) until the Secret Service name is owned on the bus, so the first test
# does not race the daemon's start-up, and fail loudly when it never comes.
owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
for _ in $(seq 50); do
  owned && break
  kill -0 "$daemon" 2>/dev/null || break
  sleep 0.1
done
owned || { echo "with-keyring: gnome-keyring-daemon did not provide the Secret Service" >&2; exit 2; }

status=0
"$@" || status=$?
exit "$status"
