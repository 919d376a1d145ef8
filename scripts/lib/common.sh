# Shared helpers for the scripts in scripts/. Source it; do not run it.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export ROOT
# The pinned npm tools (wasm-opt from binaryen, esbuild) come before anything else on PATH:
# Debian's binaryen 108 silently breaks wasm-bindgen output.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Everything slow to re-create lives here and is git-ignored.
CACHE="$ROOT/.cache"
export CACHE
ORCHEO_VENV="$CACHE/orcheo-venv"
export ORCHEO_VENV

say() { printf '\033[1m[%s]\033[0m %s\n' "$(basename "$0")" "$*" >&2; }

# Runs "$@" as one slow step: says what it is doing, says again every 20 s that it still is
# (so a long install never looks like a hang), and says how long it took.
#   slow_step "installing wasm-bindgen-cli 0.2.x" cargo install ...
slow_step() {
  local what=$1 start=$SECONDS status=0 beat
  shift
  say "$what"
  # On stderr, all of it: the step's caller may be capturing stdout with $(...).
  (
    nap=""
    # `wait` returns at once on TERM (a plain `sleep` would finish its 20 s first).
    trap '[ -z "$nap" ] || kill "$nap" 2>/dev/null; exit 0' TERM
    while :; do
      sleep 20 & nap=$!
      wait "$nap"
      say "... still $what ($((SECONDS - start)) s so far)"
    done
  ) >&2 &
  beat=$!
  "$@" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  ((status == 0)) && say "$what: done in $((SECONDS - start)) s"
  return "$status"
}
die() { printf '\033[1;31m[%s] %s\033[0m\n' "$(basename "$0")" "$*" >&2; exit 1; }

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Writes the variables serve.mjs fills into the pages it serves: Orcheo's (from the env.sh that
# `scripts/orcheo start` printed), the widget's origin and URL, the token proxy's URL, and any
# NAME=value given after those.
#   write_page_vars OUT ENV_SH WIDGET_ORIGIN TOKEN_PROXY_URL [NAME=value ...]
write_page_vars() {
  node -e '
const [out, envFile, widget, proxy, ...extra] = process.argv.slice(1);
const vars = { ...require(envFile), WIDGET_ORIGIN: widget, WIDGET_URL: widget + "/orcheo-chat.js", TOKEN_PROXY_URL: proxy };
for (const pair of extra) vars[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
require("fs").writeFileSync(out, JSON.stringify(vars, null, 2));
' "$1" "${2%.sh}.json" "$3" "$4" "${@:5}"
}

# A free TCP port on 127.0.0.1.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Waits until something accepts connections on 127.0.0.1:$1, at most 60 s (a server started in
# the background is not listening yet when the command that started it returns).
wait_listening() {
  local port=$1 deadline=$((SECONDS + 60))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "nothing listens on port $port after 60 s"
    sleep 0.1
  done
}
