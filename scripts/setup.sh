#!/usr/bin/env bash
# Installs everything `make demo` and `make test` need, idempotently.
# Safe to run again: each step checks first and does nothing if satisfied.
#   scripts/setup.sh            toolchain + wasm-bindgen + npm packages
#   scripts/setup.sh --browser  also Chromium, ChromeDriver, GnuPG, Firefox ESR and geckodriver (tests)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

# 1. Rust toolchain pinned by rust-toolchain.toml, with the wasm target.
command -v rustup >/dev/null || die "rustup is required (https://rustup.rs); it installs the pinned toolchain itself"
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$toolchain"; then
  say "installing Rust $toolchain"
  rustup toolchain install "$toolchain" --profile minimal --component clippy,rustfmt,rust-src
fi
# rust-src: the release wasm builds std from the pinned toolchain's own source (Makefile, -Z build-std).
if ! rustup component list --installed --toolchain "$toolchain" | grep -q '^rust-src'; then
  say "adding the rust-src component (std's source, for the release wasm)"
  rustup component add --toolchain "$toolchain" rust-src
fi
if ! rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add --toolchain "$toolchain" wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$wb_version" ] || die "could not read the wasm-bindgen version from Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (found: ${have:-none}); this takes about 10 minutes once"
  # --locked fails here (a locked dependency is missing from the index); the
  # exact version pin is what matters for reproducible output.
  cargo install wasm-bindgen-cli --version "=$wb_version" --force
fi

# 3. Node and the npm dev dependencies (playwright-core drives Chromium).
command -v node >/dev/null || die "Node.js >= 20 is required (apt-get install nodejs npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# 4. Browser and GnuPG, for the tests.  Debian packages only: never a
#    browser download (npx playwright install cannot work offline anyway).
if [ "$want_browser" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v gpg >/dev/null || missing+=(gnupg)
  command -v python3 >/dev/null || missing+=(python3)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "please install: ${missing[*]} (Debian/Ubuntu package names)"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    say "installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # Debian's chromedriver must match its chromium; a mismatch fails later
  # with an obscure error, so say it now.
  cv=$(chromium --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)
  dv=$(chromedriver --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)
  [ "$cv" = "$dv" ] || die "chromium ($cv) and chromedriver ($dv) differ: apt-get install --only-upgrade chromium chromium-driver"
  # Firefox (tests/firefox/): geckodriver at a pinned version from crates.io
  # (Debian has no package of it); firefox-esr comes with apt-get above.
  geckodriver_version=0.37.1
  have=$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)
  if [ "$have" != "$geckodriver_version" ]; then
    say "installing geckodriver $geckodriver_version (found: ${have:-none}); a few minutes once"
    cargo install geckodriver --version "=$geckodriver_version" --locked --force
  fi
fi

# 5. Mail servers, for tests/e2e/mail-imap.test.mjs and `make demo-mail`:
#    Debian's Postfix and Dovecot.  The packages only: scripts/mail-servers.sh
#    configures and runs them in a directory of its own, never from /etc.
#    Postfix's debconf question is answered "No configuration" (no main.cf,
#    no system mail service set up).  Where an init system runs, the packaged
#    Dovecot service starts on ports 143/993; ours listen on other ports.
#    openssl makes the test CA of TLS=1 (the TLS case of the mail test).
if [ "$want_browser" = 1 ]; then
  mail_missing=()
  command -v openssl >/dev/null || mail_missing+=(openssl)
  command -v postfix >/dev/null || mail_missing+=(postfix)
  command -v dovecot >/dev/null || mail_missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || mail_missing+=(dovecot-lmtpd)
  if [ ${#mail_missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "please install: ${mail_missing[*]} (Debian/Ubuntu package names)"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    say "installing ${mail_missing[*]} with apt-get"
    echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${mail_missing[@]}" >/dev/null
  fi
fi
say "ok"
