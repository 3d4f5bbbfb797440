#!/usr/bin/env bash
# npm run monitoring:check: the alerting rules are valid (promtool check rules) and each alert fires
# on what it watches and stays quiet otherwise (promtool test rules alerts.test.yml). promtool comes
# with Debian's prometheus package; installed here when missing (as root, from Debian's registry).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "monitoring: promtool not found; installing Debian's prometheus package"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
  else
    echo "monitoring: promtool not found: apt-get install prometheus (Debian) or put promtool on PATH" >&2
    exit 1
  fi
fi
promtool check rules alerts.yml
promtool test rules alerts.test.yml
