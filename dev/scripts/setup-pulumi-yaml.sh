#!/usr/bin/env bash
# Provides the Pulumi YAML language host, `pulumi-language-yaml`, and prints the directory holding
# it as the LAST line of stdout:
#
#   bash dev/scripts/setup-pulumi-yaml.sh           # pulumi-yaml v1.25.0
#   bash dev/scripts/setup-pulumi-yaml.sh 1.26.0    # another release of github.com/pulumi/pulumi-yaml
#
# The engine runs a `runtime: yaml` project with the `pulumi-language-yaml` it finds on PATH, so a
# caller puts this directory on PATH next to the CLI of dev/scripts/setup-pulumi.sh.
#
# Why build: this environment has the Go module proxy but no get.pulumi.com or GitHub. The host
# cannot report its own version without being started as a server, so a `pulumi-language-yaml`
# already on PATH is not trusted to be this release; the build below is always the one used.
#
# The build goes to the cache dev/scripts/setup-pulumi.sh uses, outside the clone:
#   ${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}/pulumi-language-yaml-v<version>/bin
# A directory there is either complete or absent: builds happen in a temporary sibling that is
# renamed into place, and a stamp file records what was built so later runs return at once.
set -euo pipefail

log() { echo "setup-pulumi-yaml: $*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source-path=SCRIPTDIR source=lib/cached-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cached-build.sh" # cache_root, cache_*, go_*

module="github.com/pulumi/pulumi-yaml"
version="${1:-1.25.0}"
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: setup-pulumi-yaml.sh [<major.minor.patch>] (got '$1')"

prefix="$cache_root/pulumi-language-yaml-v$version"
bin_dir="$prefix/bin"
want_stamp="pulumi-language-yaml v$version"

is_current() { # the stamp's further lines record what the build found (Pulumi and Go versions)
    cache_is_current "$prefix" "$want_stamp" pulumi-language-yaml
}
if is_current; then
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is required to build pulumi-language-yaml v$version from the Go module proxy"

# Several jest workers may get here at once; one builds, the others wait and then find it done.
# The lock is not setup-pulumi.sh's, so the CLI and this host build side by side; for the same
# reason the temporary directory is named so that setup-pulumi.sh's cleanup (.build-*) skips it.
if cache_lock .language-yaml.lock && is_current; then
    echo "$bin_dir"
    exit 0
fi

go_build_env
cache_new_build_dir .language-yaml-build pulumi-language-yaml-v
mkdir -p "$build_dir/bin"
started=$SECONDS

log "building pulumi-language-yaml v$version from the Go module proxy (a few minutes the first time)"
# A wrapper module of our own (see lib/cached-build.sh) requires pulumi-yaml, pins the Pulumi
# pkg/sdk versions pulumi-yaml's go.mod names (checked after `go get`) and repeats that go.mod's
# non-local replaces. v1.25.0's go.mod has no replace directive; a later release may.
wrapper="$build_dir/module"
mkdir -p "$wrapper"
yaml_gomod="$(go_download_gomod "$wrapper" "$module@v$version")" || exit
go_directive="$(gomod_go_version "$yaml_gomod")"
required() { # required MODULE: the version pulumi-yaml's go.mod requires
    sed -n "s#^[[:space:]]*\(require[[:space:]]\{1,\}\)\{0,1\}$1[[:space:]]\{1,\}\(v[^[:space:]]*\).*#\2#p" "$yaml_gomod" | head -n 1
}
pkg_version="$(required github.com/pulumi/pulumi/pkg/v3)"
sdk_version="$(required github.com/pulumi/pulumi/sdk/v3)"
[[ -n "$pkg_version" && -n "$sdk_version" ]] ||
    die "$module@v$version's go.mod names no github.com/pulumi/pulumi/pkg/v3 and sdk/v3 versions"
go_version="$(go env GOVERSION)"
go_version="${go_version#go}"
if [[ -n "$go_directive" && "$(printf '%s\n%s\n' "$go_directive" "$go_version" | sort -V | head -n 1)" != "$go_directive" ]]; then
    die "$module@v$version needs Go $go_directive or later; 'go' here is $go_version"
fi
go_wrapper_gomod pulumi-language-yaml-build "${go_directive:-1.24}" "$yaml_gomod" >"$wrapper/go.mod"
(
    cd "$wrapper"
    go_get_quietly "$module/cmd/pulumi-language-yaml@v$version" \
        "github.com/pulumi/pulumi/pkg/v3@$pkg_version" "github.com/pulumi/pulumi/sdk/v3@$sdk_version"
    # Another requirement could have raised them; the host must run on what it was released with.
    selected="$(go list -m -f '{{.Path}} {{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 9>&-)"
    [[ "$selected" == "github.com/pulumi/pulumi/pkg/v3 $pkg_version"$'\n'"github.com/pulumi/pulumi/sdk/v3 $sdk_version" ]] ||
        die "the build selected other Pulumi modules than $module@v$version names ($pkg_version): $selected"
    go build -trimpath \
        -ldflags "-s -w -X $module/pkg/version.Version=$version" \
        -o "$build_dir/bin/pulumi-language-yaml" "$module/cmd/pulumi-language-yaml" 9>&-
)
rm -rf "$wrapper"
go version -m "$build_dir/bin/pulumi-language-yaml" | grep -q "[[:space:]]${module}[[:space:]]\{1,\}v${version}[[:space:]]" ||
    die "the freshly built pulumi-language-yaml is not $module v$version"

cache_write_stamp "$build_dir" "$want_stamp" "github.com/pulumi/pulumi/pkg/v3 $pkg_version" \
    "github.com/pulumi/pulumi/sdk/v3 $sdk_version" "built with go $go_version"
cache_install "$build_dir" "$prefix"
log "pulumi-language-yaml v$version (Pulumi $pkg_version) ready in $bin_dir ($((SECONDS - started))s)"
echo "$bin_dir"
