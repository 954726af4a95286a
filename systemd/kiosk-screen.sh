#!/usr/bin/env bash
# The touchscreen's launcher (cccd-kiosk-browser.service). Issue #11: the kiosk's channel and
# the citizen's images belong to the kiosk's own screen, which proves it with a secret the
# controller makes at each start and writes, in the screen URL, to a file only the kiosk's
# user and the screen's group can read (KIOSK_SCREEN_URL_FILE).
#
#   kiosk-screen.sh wait                 ExecStartPre: until the controller answers /healthz and
#                                        the URL in the file is this start's (at most
#                                        KIOSK_SCREEN_WAIT_S seconds), so the browser never shows
#                                        "can't be reached"
#   kiosk-screen.sh run BROWSER [ARG…]   ExecStart: run the browser on that URL; when the
#                                        controller restarts (a new secret), open the new URL
#
# The secret never goes on a command line (any local user can read those in /proc): the browser
# gets a file:// page in $XDG_RUNTIME_DIR (the user's own, mode 0700) that forwards to the URL,
# and curl reads the URL from stdin.
set -euo pipefail

url_file="${KIOSK_SCREEN_URL_FILE:-/var/lib/cccd-kiosk-screen/screen-url}"
wait_s="${KIOSK_SCREEN_WAIT_S:-90}"
poll_s="${KIOSK_SCREEN_POLL_S:-1}"
page_dir="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/cccd-kiosk-screen"
page="$page_dir/open.html"

say() { printf 'kiosk-screen: %s\n' "$*" >&2; }
command -v curl >/dev/null || { say "curl is needed: apt-get install curl"; exit 1; }

# The URL in the file, if it is one the controller writes (nothing else is ever opened).
read_url() {
  local u=''
  [ -r "$url_file" ] || return 1
  IFS= read -r u <"$url_file" || [ -n "$u" ] || return 1
  [[ $u =~ ^http://(127\.0\.0\.1|\[::1\]|localhost):[0-9]{1,5}/\?screen=[A-Za-z0-9_-]{43}$ ]] || return 1
  printf '%s' "$u"
}

# Does the controller answer, and is this its current screen URL? (303 = the secret is this
# start's; an earlier start's secret gets 403.) The URL reaches curl on stdin, not in argv.
# /healthz answers 503 while the kiosk cannot serve a citizen (a device down): the screen must
# still open then, to show the out-of-service page.
accepted() {
  local u=$1 code
  code=$(printf 'url = "%s"\n' "${u%%/\?screen=*}/healthz" | curl -s -o /dev/null -w '%{http_code}' --max-time 2 -K - 2>/dev/null)
  [ "$code" = 200 ] || [ "$code" = 503 ] || return 1
  [ "$(printf 'url = "%s"\n' "$u" | curl -s -o /dev/null -w '%{http_code}' --max-time 2 -K - 2>/dev/null)" = 303 ]
}

# A page only this user can read that forwards the browser to the screen URL.
write_page() {
  local u=$1
  (
    umask 077
    mkdir -p "$page_dir"
    printf '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>cccd-kiosk</title>\n<meta http-equiv="refresh" content="0;url=%s">\n<script>location.replace("%s")</script>\n' "$u" "$u" >"$page.tmp"
    mv -f "$page.tmp" "$page"
  )
}

wait_for_kiosk() {
  local deadline=$((SECONDS + wait_s)) u
  until u=$(read_url) && accepted "$u"; do
    if ((SECONDS >= deadline)); then
      say "no answer from the kiosk within ${wait_s} s: no current screen URL in $url_file, or /healthz not answering (systemctl status cccd-kiosk; journalctl -u cccd-kiosk)"
      return 1
    fi
    sleep "$poll_s"
  done
}

run_browser() {
  [ "$#" -ge 1 ] || { say "usage: kiosk-screen.sh run BROWSER [ARG…]"; exit 2; }
  local u pid new
  u=$(read_url) || { say "no screen URL in $url_file (run 'kiosk-screen.sh wait' first)"; exit 1; }
  write_page "$u"
  "$@" "file://$page" &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$page"; exit 143' TERM INT
  while kill -0 "$pid" 2>/dev/null; do
    sleep "$poll_s" &
    wait $! || true
    # While the controller restarts, the file is missing and the page shows "reconnecting".
    new=$(read_url) || continue
    if [ "$new" != "$u" ] && accepted "$new"; then
      say "the kiosk restarted: opening its new screen URL"
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      u=$new
      write_page "$u"
      "$@" "file://$page" &
      pid=$!
    fi
  done
  local status=0
  wait "$pid" || status=$?
  rm -f "$page"
  exit "$status"
}

case "${1:-}" in
  wait) wait_for_kiosk ;;
  run)
    shift
    run_browser "$@"
    ;;
  *)
    say "usage: kiosk-screen.sh wait | run BROWSER [ARG…]"
    exit 2
    ;;
esac
