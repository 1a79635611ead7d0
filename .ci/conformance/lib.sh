# Shared helpers for the conformance scripts. Source it; do not run it.
#
# Every tool is pinned here and installed into .ci/tools/ (git-ignored) on first use; a stamp file
# per tool set records the pins it was installed with, so changing a pin reinstalls.

# ---- pinned versions ---------------------------------------------------------------------------
PIN_OPENAPI_SPEC_VALIDATOR="openapi-spec-validator==0.9.0"
PIN_SCHEMATHESIS="schemathesis==4.32.5"
PIN_OPENAPI_PYTHON_CLIENT="openapi-python-client==0.29.1"
PIN_JSONSCHEMA="jsonschema==4.26.0"
PIN_FHIR_RESOURCES="fhir.resources==8.1.0" # its R4B models validate our R4 bodies
PIN_SPECTRAL="@stoplight/spectral-cli@6.16.3"
PIN_REDOCLY="@redocly/cli@2.77.0"
PIN_PLAYWRIGHT_CORE="playwright-core@1.65.1"
PIN_OPENAPI_TYPESCRIPT="openapi-typescript@7.13.0"
PIN_OPENAPI_FETCH="openapi-fetch@0.17.0"
PIN_TYPESCRIPT="typescript@5.9.3" # openapi-typescript 7 wants typescript ^5
PIN_TYPES_NODE="@types/node@20.19.43"

# ---- paths -------------------------------------------------------------------------------------
CONF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CONF_DIR/../.." && pwd)"
TOOLS="$ROOT/.ci/tools"
OUT="$ROOT/.ci/out"
NODE_PREFIX="$TOOLS/node"
mkdir -p "$TOOLS" "$OUT"

: "${EXERCISE_API_BIN:=target/release/exercise-api}"
case "$EXERCISE_API_BIN" in
  /*) ;;
  *) EXERCISE_API_BIN="$ROOT/$EXERCISE_API_BIN" ;;
esac
export EXERCISE_API_BIN

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_bin() {
  [ -x "$EXERCISE_API_BIN" ] || die "service binary not found: $EXERCISE_API_BIN (build it, or set EXERCISE_API_BIN)"
}

# ensure_venv NAME PIN... : a virtualenv at .ci/tools/venv-NAME holding exactly these pins.
# Prints nothing; sets VENV to its path.
ensure_venv() {
  local name="$1"; shift
  VENV="$TOOLS/venv-$name"
  local want; want="$(printf '%s\n' "$@")"
  if [ -f "$VENV/.pins" ] && [ "$(cat "$VENV/.pins")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
    return 0
  fi
  log "installing into $VENV: $*"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
  printf '%s\n' "$want" > "$VENV/.pins"
}

# ensure_npm PKG@VER... : installs these exact versions into .ci/tools/node (one shared prefix).
ensure_npm() {
  local missing=()
  local spec name ver
  mkdir -p "$NODE_PREFIX"
  [ -f "$NODE_PREFIX/package.json" ] || echo '{"private": true}' > "$NODE_PREFIX/package.json"
  for spec in "$@"; do
    name="${spec%@*}"; ver="${spec##*@}"
    if [ "$(node -p "try{require('$NODE_PREFIX/node_modules/$name/package.json').version}catch(e){''}" 2>/dev/null)" != "$ver" ]; then
      missing+=("$spec")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "npm install into $NODE_PREFIX: ${missing[*]}"
    npm install --prefix "$NODE_PREFIX" --save-exact --no-audit --no-fund --loglevel=error "${missing[@]}" >&2
  fi
}

# ensure_chromium : Debian's chromium at /usr/bin/chromium.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq > "$OUT/apt.log" 2>&1 || { tail -20 "$OUT/apt.log" >&2; die "apt-get update failed"; }
    apt-get install -y -qq chromium >> "$OUT/apt.log" 2>&1 || { tail -20 "$OUT/apt.log" >&2; die "apt-get install chromium failed"; }
  fi
}

# spec_file : prints the path of the spec to check: openapi/openapi.json, or the binary's output
# in a temp file when the committed copy is missing.
spec_file() {
  if [ -f "$ROOT/openapi/openapi.json" ]; then
    echo "$ROOT/openapi/openapi.json"
  else
    require_bin
    local generated="$OUT/openapi.generated.json"
    "$EXERCISE_API_BIN" openapi > "$generated"
    log "openapi/openapi.json missing: using '$EXERCISE_API_BIN openapi' output ($generated)"
    echo "$generated"
  fi
}

# free_port : an unused TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

SERVICE_PID=""
stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}

# start_service [FLAG...] : starts the binary (with these extra flags) on a free loopback port,
# sets PORT and BASE_URL, and arranges for it to be killed (by PID) when the script exits. The log
# goes to .ci/out/service-NAME.log.
start_service() {
  require_bin
  local attempt
  for attempt in 1 2 3; do
    PORT="$(free_port)"
    BASE_URL="http://127.0.0.1:$PORT"
    local logf="$OUT/service-$(basename "$0" .sh).log"
    "$EXERCISE_API_BIN" --bind "127.0.0.1:$PORT" --workers 2 "$@" > "$logf" 2>&1 &
    SERVICE_PID=$!
    trap 'stop_service' EXIT
    local i
    for i in $(seq 1 100); do
      if curl -fsS -o /dev/null "$BASE_URL/health" 2>/dev/null; then
        log "service pid $SERVICE_PID on $BASE_URL"
        export BASE_URL PORT
        return 0
      fi
      kill -0 "$SERVICE_PID" 2>/dev/null || break
      sleep 0.1
    done
    log "service did not come up on port $PORT (attempt $attempt); log:"; tail -5 "$logf" >&2 || true
    stop_service
  done
  die "could not start $EXERCISE_API_BIN"
}
