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

module="github.com/pulumi/pulumi-yaml"
version="${1:-1.25.0}"
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "usage: setup-pulumi-yaml.sh [<major.minor.patch>] (got '$1')"

cache_root="${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}"
prefix="$cache_root/pulumi-language-yaml-v$version"
bin_dir="$prefix/bin"
want_stamp="pulumi-language-yaml v$version"

is_current() {
    [[ -f "$prefix/stamp" && "$(head -n 1 "$prefix/stamp")" == "$want_stamp" && -x "$bin_dir/pulumi-language-yaml" ]]
}
if is_current; then
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is required to build pulumi-language-yaml v$version from the Go module proxy"
mkdir -p "$cache_root"

# Several jest workers may get here at once; one builds, the others wait and then find it done.
# The lock is not setup-pulumi.sh's, so the CLI and this host build side by side; for the same
# reason the temporary directory is named so that setup-pulumi.sh's cleanup (.build-*) skips it.
# (Builds run with `9>&-` so that a Go process outliving an interrupted run does not keep the lock.)
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache_root/.language-yaml.lock"
    if ! flock -n 9; then
        log "waiting for another setup-pulumi-yaml.sh to finish"
        flock 9
    fi
    if is_current; then
        echo "$bin_dir"
        exit 0
    fi
fi

export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
export GOWORK=off # a go.work somewhere above the cache must not leak into this build

# Leftovers of interrupted runs (we hold the lock, so nobody else is using them).
rm -rf "$cache_root"/.language-yaml-build-* "$cache_root"/pulumi-language-yaml-v*.old-*
tmp="$(mktemp -d "$cache_root/.language-yaml-build-XXXXXX")"
chmod 755 "$tmp" # mktemp's 0700 would make the shared cache private once renamed into place
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
started=$SECONDS

log "building pulumi-language-yaml v$version from the Go module proxy (a few minutes the first time)"
# A throwaway main module requires pulumi-yaml, pins the Pulumi pkg/sdk versions pulumi-yaml's
# go.mod names (checked after `go get`) and repeats that go.mod's non-local replaces, since only
# the main module's replaces apply (`go install ...@version` would refuse a module with replaces).
# v1.25.0's go.mod has no replace directive; a later release may.
wrapper="$tmp/module"
mkdir -p "$wrapper"
yaml_json="$(cd "$wrapper" && go mod download -json "$module@v$version" 9>&-)" || true
json_value() { sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\(.*\)\",*\$/\1/p" <<<"$yaml_json"; }
yaml_gomod="$(json_value GoMod)"
[[ -f "$yaml_gomod" ]] || die "could not download $module@v$version: $(json_value Error)"
go_directive="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$yaml_gomod" | head -n 1)"
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
{
    echo "module pulumi-language-yaml-build"
    echo
    echo "go ${go_directive:-1.24}"
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
        }' "$yaml_gomod"
} >"$wrapper/go.mod"
(
    cd "$wrapper"
    # `go get` lists every module it adds (hundreds); keep the download progress only.
    go get "$module/cmd/pulumi-language-yaml@v$version" \
        "github.com/pulumi/pulumi/pkg/v3@$pkg_version" "github.com/pulumi/pulumi/sdk/v3@$sdk_version" \
        9>&- 2> >(grep -v -e '^go: added ' -e '^go: upgraded ' >&2)
    # Another requirement could have raised them; the host must run on what it was released with.
    selected="$(go list -m -f '{{.Path}} {{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 9>&-)"
    [[ "$selected" == "github.com/pulumi/pulumi/pkg/v3 $pkg_version"$'\n'"github.com/pulumi/pulumi/sdk/v3 $sdk_version" ]] ||
        die "the build selected other Pulumi modules than $module@v$version names ($pkg_version): $selected"
    go build -trimpath \
        -ldflags "-s -w -X $module/pkg/version.Version=$version" \
        -o "$tmp/bin/pulumi-language-yaml" "$module/cmd/pulumi-language-yaml" 9>&-
)
rm -rf "$wrapper"
go version -m "$tmp/bin/pulumi-language-yaml" | grep -q "[[:space:]]$module[[:space:]]\{1,\}v$version[[:space:]]" ||
    die "the freshly built pulumi-language-yaml is not $module v$version"

printf '%s\n' "$want_stamp" "github.com/pulumi/pulumi/pkg/v3 $pkg_version" "github.com/pulumi/pulumi/sdk/v3 $sdk_version" \
    "built with go $go_version" >"$tmp/stamp"

# Swap in. Between the two renames there is briefly no $prefix, which only means "rebuild".
if [[ -e "$prefix" ]]; then
    mv "$prefix" "$prefix.old-$$"
fi
mv "$tmp" "$prefix"
trap - EXIT
rm -rf "$prefix.old-$$"
log "pulumi-language-yaml v$version (Pulumi $pkg_version) ready in $bin_dir ($((SECONDS - started))s)"
echo "$bin_dir"
