#!/usr/bin/env bash
# The replica and Redis-coordination tests start Debian's redis-server themselves (on a free loopback
# port, no persistence). Install it when it is missing and this user can; otherwise say how.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "mx-guard: installing Debian's redis-server for the replica tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  exit 0
fi
echo "mx-guard: the replica tests need redis-server; install it (Debian/Ubuntu: sudo apt-get install redis-server) and run npm test again" >&2
exit 1
