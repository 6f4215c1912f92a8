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

cache_root="${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}"
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
    [[ -f "$prefix/stamp" && "$(<"$prefix/stamp")" == "$want_stamp" &&
        -x "$bin_dir/pulumi" && -x "$bin_dir/pulumi-language-nodejs" &&
        -x "$bin_dir/pulumi-resource-pulumi-nodejs" ]]
}
if is_current; then
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is required to build the Pulumi CLI (no usable 'pulumi' v$version on PATH)"
mkdir -p "$cache_root"

# Several jest workers may get here at once; one builds, the others wait and then find it done.
# (Builds run with `9>&-` so that a Go process outliving an interrupted run does not keep the lock.)
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache_root/.lock"
    if ! flock -n 9; then
        log "waiting for another setup-pulumi.sh to finish"
        flock 9
    fi
    if is_current; then
        echo "$bin_dir"
        exit 0
    fi
fi

export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
export GOWORK=off # a go.work somewhere above the cache must not leak into these builds

# Leftovers of interrupted runs (we hold the lock, so nobody else is using them).
rm -rf "$cache_root"/.build-* "$cache_root"/pulumi-v*.old-*
tmp="$(mktemp -d "$cache_root/.build-XXXXXX")"
chmod 755 "$tmp" # mktemp's 0700 would make the shared cache private once renamed into place
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
started=$SECONDS

# The CLI: reused from the previous build when only the language host changed.
if [[ -x "$bin_dir/pulumi" && "$(PULUMI_SKIP_UPDATE_CHECK=true "$bin_dir/pulumi" version 2>/dev/null)" == "v$version" ]]; then
    log "reusing the Pulumi CLI v$version already built in $bin_dir"
    ln "$bin_dir/pulumi" "$tmp/bin/pulumi" 2>/dev/null || cp "$bin_dir/pulumi" "$tmp/bin/pulumi"
else
    log "building the Pulumi CLI v$version from the Go module proxy (a few minutes the first time)"
    # pkg/v3 cannot be built with `go install pkg@version` because its go.mod has replace
    # directives, so a throwaway main module requires it instead. Its local replace
    # (sdk => ../sdk) becomes a plain requirement of the same sdk version; its non-local ones
    # must be repeated, since only the main module's replaces apply.
    wrapper="$tmp/cli-module"
    mkdir -p "$wrapper"
    pkg_json="$(cd "$wrapper" && go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" 9>&-)" || true
    json_value() { sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\(.*\)\",*\$/\1/p" <<<"$pkg_json"; }
    pkg_gomod="$(json_value GoMod)"
    [[ -f "$pkg_gomod" ]] || die "could not download github.com/pulumi/pulumi/pkg/v3@v$version: $(json_value Error)"
    go_directive="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$pkg_gomod" | head -n 1)"
    {
        echo "module pulumi-cli-build"
        echo
        echo "go $go_directive"
        echo
        # Single-line and block replaces; skip those pointing at a local path (./, ../, /).
        awk '
            /^replace[[:space:]]*\(/ { block = 1; next }
            block && /^\)/           { block = 0; next }
            block || /^replace[[:space:]]/ {
                line = $0
                sub(/^replace[[:space:]]+/, "", line)
                sub(/^[[:space:]]+/, "", line)
                split(line, sides, "=>")
                target = sides[2]
                sub(/^[[:space:]]+/, "", target)
                if (line != "" && target !~ /^(\.|\/)/) print "replace " line
            }' "$pkg_gomod"
    } >"$wrapper/go.mod"
    (
        cd "$wrapper"
        # `go get` lists every module it adds (hundreds); keep the download progress only.
        go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" \
            9>&- 2> >(grep -v -e '^go: added ' -e '^go: upgraded ' >&2)
        go build -trimpath \
            -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
            -o "$tmp/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 9>&-
    )
    rm -rf "$wrapper"
    [[ "$(PULUMI_SKIP_UPDATE_CHECK=true "$tmp/bin/pulumi" version)" == "v$version" ]] ||
        die "the freshly built pulumi does not report v$version"
    log "built the Pulumi CLI in $((SECONDS - started))s"
fi

log "building pulumi-language-nodejs from dev/tools/pulumi-language-nodejs"
lh_started=$SECONDS
(cd "$langhost_src" && go build -trimpath -ldflags "-X main.version=$version" -o "$tmp/bin/pulumi-language-nodejs" . 9>&-)
log "built pulumi-language-nodejs in $((SECONDS - lh_started))s"

# A copy rather than a symlink: the cache is shared and must outlive this clone's node_modules.
# The script resolves @pulumi/pulumi from the program's directory at run time, so this clone's
# copy serves a CLI of any version.
cp "$provider_script" "$tmp/bin/pulumi-resource-pulumi-nodejs"
chmod 755 "$tmp/bin/pulumi-resource-pulumi-nodejs"

printf '%s\n' "$want_stamp" >"$tmp/stamp"

# Swap in. Between the two renames there is briefly no $prefix, which only means "rebuild".
if [[ -e "$prefix" ]]; then
    mv "$prefix" "$prefix.old-$$"
fi
mv "$tmp" "$prefix"
trap - EXIT
rm -rf "$prefix.old-$$"
log "Pulumi CLI v$version ready in $bin_dir ($((SECONDS - started))s)"
echo "$bin_dir"
