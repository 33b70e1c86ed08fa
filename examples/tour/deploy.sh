#!/bin/sh
# The tour's deploy and revert action: tells the demo service (`./rollout demo --serve`) which version gets how much
# of its traffic. Plan values arrive only as environment variables (ROLLOUT_VERSION, ROLLOUT_PERCENT, …) and leave
# only as URL-encoded form fields: nothing here is ever parsed by a shell, so a version like `1.0;rm -rf /` is data.
#   examples/tour/deploy.sh            deploy ROLLOUT_VERSION to ROLLOUT_PERCENT% of the traffic
#   examples/tour/deploy.sh --revert   all traffic back to ROLLOUT_VERSION (the stable version)
set -eu
service="${DEMO_SERVICE_URL:-http://127.0.0.1:18080}"
operation=deploy
if [ "${1:-}" = "--revert" ]; then operation=revert; fi
command -v curl >/dev/null 2>&1 || { echo "deploy.sh needs curl" >&2; exit 1; }
curl --fail --silent --show-error --max-time 10 -o /dev/null \
  --data-urlencode "operation=$operation" \
  --data-urlencode "version=${ROLLOUT_VERSION:-}" \
  --data-urlencode "percent=${ROLLOUT_PERCENT:-0}" \
  "$service/admin/deploy" \
  || { echo "deploy.sh: the demo service at $service did not take the $operation (is \`./rollout demo --serve\` running?)" >&2; exit 1; }
printf '%s: %s at %s%% (ring %s)\n' "$operation" "${ROLLOUT_VERSION:-?}" "${ROLLOUT_PERCENT:-0}" "${ROLLOUT_RING:-none}"
