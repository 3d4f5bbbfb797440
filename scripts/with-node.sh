#!/usr/bin/env bash
# Runs a command with Node.js 24 first on PATH and the workspace's binaries after it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../infra/node/ensure-node.sh
source "$root/infra/node/ensure-node.sh" 2>/dev/null || source "$root/infra/node/ensure-node.sh"
export PATH="$root/node_modules/.bin:$PATH"
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD="${NX_NO_CLOUD:-true}"
exec "$@"
