#!/usr/bin/env bash
# Installs what the end-to-end tests need, and does nothing when it is already there:
#   - Debian packages chromium (the browser Playwright drives), ripgrep and libkrb5-dev (code-server's
#     build needs them), installed with apt when run as root;
#   - code-server (VS Code's server and web workbench) into the ignored .e2e/cs folder. It is not a
#     devDependency: it builds native modules (~70 s, 300 MB) that only these tests need.
# Offline but for the npm registry and Debian's mirrors. See ../shared/E2E.md for the route.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
CODE_SERVER=.e2e/cs/node_modules/.bin/code-server

installed_code_server() {
  # Any start of code-server writes a config file (and says so on its first run): keep it in .e2e.
  [ -x "$CODE_SERVER" ] && XDG_CONFIG_HOME=.e2e/xdg XDG_DATA_HOME=.e2e/xdg "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}

packages=()
command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 || packages+=(chromium)
if ! installed_code_server; then
  command -v rg >/dev/null 2>&1 || packages+=(ripgrep)
  [ -e /usr/include/gssapi/gssapi.h ] || packages+=(libkrb5-dev)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "e2e setup: missing ${packages[*]}. Install them and run again, on Debian or Ubuntu with:" >&2
    echo "  sudo apt-get install -y ${packages[*]}" >&2
    echo "(or set CHROMIUM to a Chromium binary; ripgrep and libkrb5-dev are only needed to build code-server)" >&2
    exit 1
  fi
  echo "e2e setup: apt-get install ${packages[*]}"
  # Another apt run may hold the lock (a second worktree's setup): wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${packages[@]}" >/dev/null
fi

if installed_code_server; then
  echo "e2e setup: code-server $CODE_SERVER_VERSION is installed"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "e2e setup: code-server $CODE_SERVER_VERSION needs Node.js 20 (this is $(node -v))." >&2
  exit 1
fi

# code-server's VS Code pulls @vscode/ripgrep 1.15.11, whose install downloads rg from GitHub;
# its cache is seeded with Debian's rg so nothing leaves the machine.
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "e2e setup: no ripgrep cache name known for $(uname -m)" >&2; exit 1 ;;
esac
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rg_cache" .e2e/cs
tar czf "$rg_cache/ripgrep-v13.0.0-10-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg

echo "e2e setup: installing code-server $CODE_SERVER_VERSION into .e2e/cs (about a minute)"
echo '{"private":true}' > .e2e/cs/package.json
# npm_config_yes: node-pty's install runs npx node-gyp; --unsafe-perm: code-server refuses root without it.
(cd .e2e/cs && npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
installed_code_server || { echo "e2e setup: code-server did not install; see the npm log above" >&2; exit 1; }
echo "e2e setup: code-server $CODE_SERVER_VERSION installed"
