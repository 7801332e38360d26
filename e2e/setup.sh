#!/usr/bin/env bash
# Installs what the browser end-to-end test (verticles: io.inos.e2e.BrowserBridgeE2ETest) needs:
#   - Debian's Chromium (package chromium, which brings chromium-common), when /usr/bin/chromium is missing;
#   - the npm packages of e2e/ exactly as package-lock.json pins them (npm ci).
# Playwright never downloads a browser here: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1, and the test launches
# /usr/bin/chromium (or $INOS_E2E_CHROMIUM). Safe to run again: it only installs what is missing or stale.
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

chromium_bin="${INOS_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  echo "[e2e] installing Debian's chromium"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "[e2e] installing Debian's nodejs and npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

# npm ci wipes node_modules and installs the lockfile's versions; a stamp of the lockfile it installed lets a
# second run skip it
stamp=node_modules/.inos-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "[e2e] npm ci (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
echo "[e2e] ready: $("$chromium_bin" --version 2>/dev/null), node $(node --version)"
