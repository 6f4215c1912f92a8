#!/usr/bin/env bash
# Provides the headless browser of the report's browser test: Debian's own `chromium` package at
# /usr/bin/chromium (playwright-core drives it; Playwright's downloaded browsers are not used), plus
# one font family, without which every text in a screenshot would render as empty boxes.
#
# Does nothing when both are present. Otherwise installs them with apt-get, which needs root.
set -euo pipefail

log() { echo "setup-chromium: $*" >&2; }
die() { log "error: $*"; exit 1; }

chromium_bin=/usr/bin/chromium
packages=()
[[ -x "$chromium_bin" ]] || packages+=(chromium)
# Any font will do; DejaVu is the one Debian installs by default.
if ! compgen -G "/usr/share/fonts/truetype/*/*.ttf" >/dev/null && ! compgen -G "/usr/share/fonts/opentype/*/*.otf" >/dev/null; then
    packages+=(fonts-dejavu-core)
fi

if [[ ${#packages[@]} -eq 0 ]]; then
    log "$("$chromium_bin" --version 2>/dev/null || echo chromium) is installed at $chromium_bin"
    exit 0
fi

command -v apt-get >/dev/null || die "missing ${packages[*]}, and apt-get is not available: install Debian's chromium so that $chromium_bin exists"
if [[ "$(id -u)" -ne 0 ]]; then
    die "missing ${packages[*]}; installing needs root: run \`sudo bash dev/scripts/setup-chromium.sh\` (or \`sudo apt-get install ${packages[*]}\`)"
fi

log "installing ${packages[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
[[ -x "$chromium_bin" ]] || die "apt-get finished but $chromium_bin is missing"
log "$("$chromium_bin" --version 2>/dev/null || echo chromium) is installed at $chromium_bin"
