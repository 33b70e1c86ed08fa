#!/usr/bin/env bash
# Runs the whole test suite with every process's wall clock shifted (default: one year ahead), to prove that no
# test depends on today's date. libfaketime (Debian package `faketime`) is preloaded into Maven and everything it
# starts: the test JVMs, the real JAR as a process, Prometheus, gitlab-ci-local, node, Chromium. The monotonic
# clock is left alone (timeouts and the JVM's own timers stay real). Maven runs offline: run `mvn verify` once first.
#
#   bench/verify-on-another-day.sh            # +365d
#   SHIFT=-400d bench/verify-on-another-day.sh
#   LOAD=2 bench/verify-on-another-day.sh     # and under load: stress-ng keeps LOAD CPU workers busy meanwhile
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1 || true)
[ -n "$lib" ] || { echo "libfaketime is missing: apt-get install faketime" >&2; exit 2; }
shift_by=${SHIFT:-+365d}
stress_pid=
if [ -n "${LOAD:-}" ]; then
  command -v stress-ng >/dev/null || { echo "stress-ng is missing: apt-get install stress-ng" >&2; exit 2; }
  stress-ng --cpu "$LOAD" --quiet & stress_pid=$!
  trap 'kill $stress_pid 2>/dev/null || true' EXIT
fi
# Chromium's zygote hangs under libfaketime (seen: the page renders, then the process never ends); what the HTML
# report test checks does not depend on the date, so Chromium alone runs on the real clock.
real_chromium=$(command -v chromium || true)
if [ -n "$real_chromium" ]; then
  wrap=$(mktemp -d); trap 'rm -rf "$wrap"; [ -z "$stress_pid" ] || kill $stress_pid 2>/dev/null || true' EXIT
  printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME "%s" "$@"\n' "$real_chromium" > "$wrap/chromium"
  chmod +x "$wrap/chromium"; export PATH="$wrap:$PATH"
fi
echo "clock shifted by $shift_by: $(FAKETIME="$shift_by" LD_PRELOAD="$lib" date -u)"
FAKETIME="$shift_by" FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$lib" mvn -B -o -ntp verify "$@"
