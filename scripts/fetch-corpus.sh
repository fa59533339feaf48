#!/usr/bin/env bash
# Fetch Debian source packages into .corpus/ for benchmarks and precision trials.
#
#   scripts/fetch-corpus.sh [packages...]
#
# Idempotent: a package whose unpacked tree is already there is skipped, whoever unpacked it.
# Some mirrors serve the orig tarball but 404 on a Debian part (a security update's
# .debian.tar.xz); then the orig tarball alone is unpacked, which is all the C we need.
# A package that cannot be fetched at all is reported, and the others still go ahead.
# A package the default suite cannot deliver (psycopg2 and pyyaml in bookworm answer 404) is tried
# again from each fallback suite, whose deb-src entry is added once, derived from the first deb stanza.
# Exit status: 0 when every package is there, 1 when some could not be fetched, 2 when apt is unusable.
# Environment: CORPUS_DIR overrides the destination (default: .corpus next to scripts/);
# APT_ETC overrides /etc/apt, where deb-src is looked for and enabled;
# CORPUS_FALLBACK_SUITES lists the suites to try next, blank-separated (default: trixie; empty: none).
set -uo pipefail

DEFAULT_PACKAGES=(python3.11 python-apt numpy pillow psycopg2 lxml pyyaml simplejson python-greenlet)
read -r -a FALLBACK_SUITES <<<"${CORPUS_FALLBACK_SUITES-trixie}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${CORPUS_DIR:-$ROOT/.corpus}"
APT_ETC="${APT_ETC:-/etc/apt}"

log() { printf '%s\n' "$*" >&2; }

# The top-level folder a tarball unpacks to, or nothing when it has none.
tarball_root() {
  tar -tf "$1" 2>/dev/null | head -n 1 | cut -d/ -f1
}

# Upstream and native tarballs of a package, newest version last; never the .debian.tar.* part.
source_tarballs() {
  local pkg="$1" f
  for f in "$CORPUS/${pkg}"_*.tar.*; do
    [[ -f "$f" ]] || continue
    case "$f" in *.debian.tar.*) continue ;; esac
    printf '%s\n' "$f"
  done | sort -V
}

# The unpacked tree of a package if one is there: `pkg-<version>` as dpkg-source makes it,
# or the folder one of its tarballs unpacks to (Python-3.11.2 for python3.11).
present_tree() {
  local pkg="$1" d t root
  for d in "$CORPUS/${pkg}"-[0-9]*/; do
    [[ -d "$d" && -n "$(ls -A "$d")" ]] && { printf '%s\n' "${d%/}"; return 0; }
  done
  while IFS= read -r t; do
    root="$(tarball_root "$t")"
    [[ -n "$root" && -d "$CORPUS/$root" ]] && { printf '%s\n' "$CORPUS/$root"; return 0; }
  done < <(source_tarballs "$pkg")
  return 1
}

require_apt() {
  local tool
  for tool in apt-get apt-cache dpkg-source; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      log "error: $tool is not available. This script needs a Debian or Ubuntu system with apt;"
      log "elsewhere, download the source tarballs by hand and unpack them into $CORPUS/."
      exit 2
    fi
  done
}

has_deb_src() {
  grep -rqsE '^(Types:.*\bdeb-src\b|deb-src[[:space:]])' "$APT_ETC/sources.list" "$APT_ETC/sources.list.d/"
}

# Adds deb-src entries mirroring the deb ones, once per machine, then refreshes the index.
enable_deb_src() {
  if has_deb_src; then return 0; fi
  local deb="$APT_ETC/sources.list.d/debian.sources"
  if [[ ! -f "$deb" ]]; then
    log "error: no deb-src entry in apt's sources and no $deb to derive one from; add deb-src lines and re-run."
    exit 2
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "error: enabling deb-src needs root: run once as root, or add deb-src entries to apt's sources."
    exit 2
  fi
  log "enabling deb-src in $APT_ETC/sources.list.d/debian-src.sources"
  sed 's/^Types: deb$/Types: deb-src/' "$deb" >"$APT_ETC/sources.list.d/debian-src.sources"
  apt-get update -qq || log "warning: apt-get update reported errors"
}

# deb-src entries without a refreshed index make every `apt-get source` fail: refresh once.
refresh_index_if_stale() {
  local probe="$1" index
  # Captured whole: `| grep -q` would end apt-cache early and pipefail would call that a failure.
  index="$(apt-cache showsrc "$probe" 2>/dev/null)"
  [[ -n "$index" ]] && return 0
  log "no source index for $probe; running apt-get update"
  apt-get update -qq || log "warning: apt-get update reported errors"
}

# A deb-src entry for another suite, from the first stanza of the deb sources: added once, then the index refreshed.
enable_suite_src() {
  local suite="$1" deb="$APT_ETC/sources.list.d/debian.sources" target="$APT_ETC/sources.list.d/refcheck-$1-src.sources"
  [[ -f "$target" ]] && return 0
  if grep -rqsE "^Suites:.*[[:space:]]$suite([[:space:]]|\$)" "$APT_ETC/sources.list.d/"; then return 0; fi
  if [[ ! -f "$deb" || "$(id -u)" -ne 0 ]]; then
    log "  cannot add deb-src for $suite: needs root and $deb"
    return 1
  fi
  log "  adding deb-src for $suite in $target"
  sed -e '/^$/q' -e 's/^Types: deb$/Types: deb-src/' -e "s/^Suites: .*/Suites: $suite/" "$deb" >"$target"
  apt-get update -qq || log "warning: apt-get update reported errors"
}

# Fetches and unpacks a package from a fallback suite; true when its tree is then there.
fetch_from_suite() {
  local pkg="$1" suite="$2" output
  enable_suite_src "$suite" || return 1
  log "  $pkg: trying $suite"
  if ! output="$(cd "$CORPUS" && apt-get source --download-only -qq "$pkg/$suite" 2>&1)"; then
    grep -E '^(E:|Err:)' <<<"$output" | head -n 3 | sed 's/^/    /' >&2
  fi
  unpack "$pkg" && present_tree "$pkg" >/dev/null
}

# Unpacks a complete source package, else the newest tarball of it, into $CORPUS.
unpack() {
  local pkg="$1" dsc t root
  dsc="$(ls -1 "$CORPUS/${pkg}"_*.dsc 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dsc" ]] && (cd "$CORPUS" && dpkg-source --no-check -x "$(basename "$dsc")" >/dev/null 2>&1); then
    return 0
  fi
  # dpkg-source leaves an empty target behind when a part is missing; rmdir touches nothing else.
  rmdir "$CORPUS/${pkg}"-[0-9]*/ 2>/dev/null
  t="$(source_tarballs "$pkg" | tail -n 1)"
  [[ -n "$t" ]] || return 1
  root="$(tarball_root "$t")"
  [[ -n "$root" ]] || return 1
  log "  $pkg: the full source package cannot be assembled; unpacking $(basename "$t") alone"
  tar -xf "$t" -C "$CORPUS"
}

main() {
  local packages=("$@")
  ((${#packages[@]} > 0)) || packages=("${DEFAULT_PACKAGES[@]}")
  mkdir -p "$CORPUS"

  local missing=() pkg tree
  for pkg in "${packages[@]}"; do
    if tree="$(present_tree "$pkg")"; then
      log "present: $pkg ($tree)"
    else
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} > 0)) || { log "nothing to fetch"; return 0; }

  require_apt
  enable_deb_src
  refresh_index_if_stale "${missing[0]}"

  local failed=() output
  for pkg in "${missing[@]}"; do
    log "fetching: $pkg"
    # A 404 on one part still leaves the parts that did arrive, often the orig tarball.
    if ! output="$(cd "$CORPUS" && apt-get source --download-only -qq "$pkg" 2>&1)"; then
      log "  $pkg: apt-get source could not fetch every part"
      grep -E '^(E:|Err:)' <<<"$output" | head -n 3 | sed 's/^/    /' >&2
    fi
    local suite
    if ! { unpack "$pkg" && present_tree "$pkg" >/dev/null; }; then
      for suite in "${FALLBACK_SUITES[@]}"; do
        fetch_from_suite "$pkg" "$suite" && break
      done
    fi
    if tree="$(present_tree "$pkg")"; then
      log "  unpacked: $tree"
    else
      failed+=("$pkg")
    fi
  done

  if ((${#failed[@]} > 0)); then
    log "could not fetch: ${failed[*]}"
    return 1
  fi
}

main "$@"
