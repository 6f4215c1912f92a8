#!/usr/bin/env bash
# Provides a Pulumi CLI, plus the two plugins our programs need, and prints the directory holding
# them as the LAST line of stdout:
#
#   bash dev/scripts/setup-pulumi.sh            # the version of the installed @pulumi/pulumi
#   bash dev/scripts/setup-pulumi.sh 3.277.0    # another one (npm and the Go module proxy can differ)
#
#   pulumi                         the engine, built from github.com/pulumi/pulumi/pkg/v3
#   pulumi-language-nodejs         our small language host (dev/tools/pulumi-language-nodejs)
#   pulumi-resource-pulumi-nodejs  the dynamic-provider host script shipped in @pulumi/pulumi
#
# Why build: this environment has the Go module proxy but no get.pulumi.com or GitHub, and the
# proxy does not serve the official Node.js language host. An installed CLI of the right version
# (all three executables on PATH) is used as is.
#
# The build goes to a cache outside the clone (it is ~160 MB and shared by all clones):
#   ${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}/pulumi-v<version>/bin
# A directory there is either complete or absent: builds happen in a temporary sibling that is
# renamed into place, and a stamp file records what was built so later runs return at once.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
langhost_src="$repo_root/dev/tools/pulumi-language-nodejs"
provider_script="$repo_root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

log() { echo "setup-pulumi: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$repo_root/dev/scripts/lib/cached-build.sh" # cache_root, cache_*, go_*

# --- Which version -----------------------------------------------------------------------------
# Unless asked for another, the installed SDK is the truth (the CLI must speak its protocol);
# package.json is the fallback for a clone where `npm ci` has not run yet.
json_field() { # json_field FILE REGEX: first string value whose key line matches REGEX
    sed -n "s/^[[:space:]]*$2[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$1" | head -n 1
}
version="${1:-}"
version="${version#v}"
if [[ -n "$version" ]]; then
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: setup-pulumi.sh [<major.minor.patch>] (got '$1')"
elif [[ -f "$repo_root/node_modules/@pulumi/pulumi/package.json" ]]; then
    version="$(json_field "$repo_root/node_modules/@pulumi/pulumi/package.json" '"version"')"
fi
if [[ -z "$version" ]]; then # still empty: no argument and no node_modules
    version="$(json_field "$repo_root/package.json" '"@pulumi\/pulumi"')"
    version="${version#[\^~=v]}"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "could not determine the @pulumi/pulumi version (got '$version'); run 'npm ci' first"

prefix="$cache_root/pulumi-v$version"
bin_dir="$prefix/bin"

# --- An installed CLI of the right version -----------------------------------------------------
if ambient="$(command -v pulumi 2>/dev/null)" &&
    [[ "$(cd "$(dirname "$ambient")" && pwd -P)" != "$(cd "$bin_dir" 2>/dev/null && pwd -P)" ]] &&
    command -v pulumi-language-nodejs >/dev/null 2>&1 &&
    command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 &&
    [[ "$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null)" == "v$version" ]]; then
    log "using the Pulumi CLI v$version found on PATH"
    dirname "$ambient"
    exit 0
fi

# --- The cached build --------------------------------------------------------------------------
if command -v sha256sum >/dev/null 2>&1; then sha256=(sha256sum); else sha256=(shasum -a 256); fi
# Anything that changes the language host's source (or the provider script) must invalidate the
# cache, so the stamp records a digest of exactly those inputs next to the CLI version.
langhost_digest="$(cd "$langhost_src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) |
    LC_ALL=C sort | xargs "${sha256[@]}" | "${sha256[@]}" | cut -c1-16)"
[[ -f "$provider_script" ]] || die "$provider_script is missing; run 'npm ci' first"
provider_digest="$("${sha256[@]}" <"$provider_script" | cut -c1-16)"
want_stamp="pulumi v$version
pulumi-language-nodejs $langhost_digest
pulumi-resource-pulumi-nodejs $provider_digest"

is_current() {
    cache_is_current "$prefix" "$want_stamp" pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs
}
if is_current; then
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is required to build the Pulumi CLI (no usable 'pulumi' v$version on PATH)"

# Several jest workers may get here at once; one builds, the others wait and then find it done.
if cache_lock .lock && is_current; then
    echo "$bin_dir"
    exit 0
fi

go_build_env
cache_new_build_dir .build pulumi-v
mkdir -p "$build_dir/bin"
started=$SECONDS

# The CLI: reused from the previous build when only the language host changed.
if [[ -x "$bin_dir/pulumi" && "$(PULUMI_SKIP_UPDATE_CHECK=true "$bin_dir/pulumi" version 2>/dev/null)" == "v$version" ]]; then
    log "reusing the Pulumi CLI v$version already built in $bin_dir"
    ln "$bin_dir/pulumi" "$build_dir/bin/pulumi" 2>/dev/null || cp "$bin_dir/pulumi" "$build_dir/bin/pulumi"
else
    log "building the Pulumi CLI v$version from the Go module proxy (a few minutes the first time)"
    # pkg/v3 has replace directives, so a wrapper module of our own requires it (see
    # lib/cached-build.sh). Its local replace (sdk => ../sdk) becomes a plain requirement of the
    # same sdk version.
    wrapper="$build_dir/cli-module"
    mkdir -p "$wrapper"
    pkg_gomod="$(go_download_gomod "$wrapper" "github.com/pulumi/pulumi/pkg/v3@v$version")" || exit
    go_wrapper_gomod pulumi-cli-build "$(gomod_go_version "$pkg_gomod")" "$pkg_gomod" >"$wrapper/go.mod"
    (
        cd "$wrapper"
        go_get_quietly "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version"
        go build -trimpath \
            -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
            -o "$build_dir/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 9>&-
    )
    rm -rf "$wrapper"
    [[ "$(PULUMI_SKIP_UPDATE_CHECK=true "$build_dir/bin/pulumi" version)" == "v$version" ]] ||
        die "the freshly built pulumi does not report v$version"
    log "built the Pulumi CLI in $((SECONDS - started))s"
fi

log "building pulumi-language-nodejs from dev/tools/pulumi-language-nodejs"
lh_started=$SECONDS
(cd "$langhost_src" && go build -trimpath -ldflags "-X main.version=$version" -o "$build_dir/bin/pulumi-language-nodejs" . 9>&-)
log "built pulumi-language-nodejs in $((SECONDS - lh_started))s"

# A copy rather than a symlink: the cache is shared and must outlive this clone's node_modules.
# The script resolves @pulumi/pulumi from the program's directory at run time, so this clone's
# copy serves a CLI of any version.
cp "$provider_script" "$build_dir/bin/pulumi-resource-pulumi-nodejs"
chmod 755 "$build_dir/bin/pulumi-resource-pulumi-nodejs"

cache_write_stamp "$build_dir" "$want_stamp"
cache_install "$build_dir" "$prefix"
log "Pulumi CLI v$version ready in $bin_dir ($((SECONDS - started))s)"
echo "$bin_dir"
