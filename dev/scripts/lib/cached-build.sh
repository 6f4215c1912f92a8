# shellcheck shell=bash
# Sourced by the dev/scripts/setup-*.sh scripts that put a build into the cache shared by all clones:
#   ${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}/<name>-v<version>
# A directory there is either complete or absent: a build happens in a temporary sibling that is
# renamed into place, and the directory's `stamp` file records what was built, so later runs find it
# current and return at once. Builds of one kind run under a lock of their own, so several jest
# workers asking at once build once.
#
# The sourcing script defines log and die (messages to stderr, prefixed with its name), runs under
# `set -euo pipefail`, and runs its long commands with `9>&-` so that a process outliving an
# interrupted run does not keep the lock (fd 9).
#
# The Go functions below build a main package from a module of its own ("wrapper"): `go install
# pkg@version` refuses a module whose go.mod has replace directives, and only the main module's
# replaces apply, so the wrapper requires the module and repeats its non-local replaces.

cache_root="${PULUMI_CLOUDFLARE_RISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cloudflare-risk}"

# cache_is_current PREFIX STAMP [EXECUTABLE...]: is PREFIX a finished build of STAMP? Its stamp file
# begins with the lines of STAMP (lines after those only describe the build) and each EXECUTABLE is
# in PREFIX/bin.
cache_is_current() {
    local prefix="$1" want="$2" newlines exe
    shift 2
    newlines="${want//[!$'\n']/}"
    [[ -f "$prefix/stamp" && "$(head -n $((${#newlines} + 1)) "$prefix/stamp")" == "$want" ]] || return 1
    for exe in "$@"; do
        [[ -x "$prefix/bin/$exe" ]] || return 1
    done
}

# cache_write_stamp DIR LINE...: writes the stamp of a build in DIR, a line per argument.
cache_write_stamp() {
    local dir="$1"
    shift
    printf '%s\n' "$@" >"$dir/stamp"
}

# cache_lock LOCKFILE: creates the cache and takes its LOCKFILE on fd 9, waiting while another run
# holds it. Returns 1 (locking nothing) where there is no flock; a caller that took the lock checks
# again whether the build it wants is current, since the run it waited for may have made it.
cache_lock() {
    mkdir -p "$cache_root" || exit
    command -v flock >/dev/null 2>&1 || return 1
    exec 9>"$cache_root/$1" || exit
    if ! flock -n 9; then
        log "waiting for another ${0##*/} to finish"
        flock 9 || exit
    fi
}

# cache_new_build_dir TEMPNAME NAME: sets build_dir to a new temporary directory
# $cache_root/TEMPNAME-XXXXXX, removed on exit unless cache_install moves it into place. First
# removes the leftovers of interrupted runs: TEMPNAME-* and NAME*.old-* (the caller holds the lock,
# so nobody else is using them). Each kind of build has its own TEMPNAME, so that one's cleanup
# never removes another's build in progress.
cache_new_build_dir() {
    rm -rf "$cache_root/$1"-* "$cache_root/$2"*.old-*
    build_dir="$(mktemp -d "$cache_root/$1-XXXXXX")"
    chmod 755 "$build_dir" # mktemp's 0700 would make the shared cache private once renamed into place
    trap 'rm -rf "$build_dir"' EXIT
}

# cache_install DIR PREFIX: puts the finished DIR (build_dir or a directory in it) in place as PREFIX.
cache_install() {
    local dir="$1" prefix="$2"
    # Between the two renames there is briefly no PREFIX, which only means "build again".
    if [[ -e "$prefix" ]]; then
        mv "$prefix" "$prefix.old-$$"
    fi
    mv "$dir" "$prefix"
    if [[ "$dir" == "$build_dir" ]]; then
        trap - EXIT
    fi
    rm -rf "$prefix.old-$$"
}

# go_build_env: the environment of the Go builds into the cache.
go_build_env() {
    export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
    export GOWORK=off # a go.work somewhere above the cache must not leak into these builds
}

# go_download_gomod DIR MODULE@VERSION: downloads MODULE@VERSION from the Go module proxy (running in
# DIR) and prints the path of its go.mod, or dies with the reason. Use as `x="$(...)" || exit`.
go_download_gomod() {
    local json gomod
    json="$(cd "$1" && go mod download -json "$2" 9>&-)" || true
    gomod="$(go_json_string GoMod <<<"$json")"
    [[ -f "$gomod" ]] || die "could not download $2: $(go_json_string Error <<<"$json")"
    echo "$gomod"
}
go_json_string() { # go_json_string NAME: the string value of NAME in the `go ... -json` output on stdin
    sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\(.*\)\",*\$/\1/p"
}

# gomod_go_version GOMOD: the Go version of GOMOD's `go` line (empty without one).
gomod_go_version() {
    sed -n 's/^go[[:space:]]\{1,\}\([0-9.]*\).*/\1/p' "$1" | head -n 1
}

# go_wrapper_gomod NAME GOVERSION GOMOD: prints the go.mod of the wrapper module NAME, which repeats
# the replace directives of GOMOD (the module it builds from) except those pointing at a local path
# (./, ../, /): those modules are required at their own versions instead.
go_wrapper_gomod() {
    echo "module $1"
    echo
    echo "go $2"
    echo
    # Single-line and block replaces.
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
        }' "$3"
}

# go_get_quietly ARG...: `go get ARG...` in the current directory, without the lines of the hundreds
# of modules it adds (the download progress stays).
go_get_quietly() {
    go get "$@" 9>&- 2> >(grep -v -e '^go: added ' -e '^go: upgraded ' >&2)
}
