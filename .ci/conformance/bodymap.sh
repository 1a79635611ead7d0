#!/usr/bin/env bash
# Body maps in a real browser: starts the release binary on 127.0.0.1, fetches a sample of maps
# (an exercise, a group, a combined map, a dark one, a back view, a PNG), checks each answer
# (status, type, safe SVG, PNG signature), and screenshots every SVG in headless Chromium
# (Debian's package) at its own size and at 96 px wide. Everything goes to .ci/out/bodymap/:
# the fetched maps, the screenshots (*.screenshot.png) and bodymap.log.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_chromium
start_service

DIR="$OUT/bodymap"
rm -rf "$DIR"
mkdir -p "$DIR"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }

# name|path|Accept
SAMPLES=(
  "clamshells|/v1/exercises/clamshells/map|image/svg+xml"
  "gluteals|/v1/muscles/gluteals/map|image/svg+xml"
  "rotator-cuff|/v1/muscles/rotator-cuff/map|image/svg+xml"
  "clamshells-es|/v1/exercises/clamshells/map?lang=es|image/svg+xml"
  "shoulder-routine|/v1/maps?primary=rotator-cuff,lower-trapezius&secondary=deltoids,rhomboids|image/svg+xml"
  "combined|/v1/maps?primary=quadriceps,gluteals&secondary=hamstrings,calf,core|image/svg+xml"
  "clamshells-dark|/v1/exercises/clamshells/map?theme=dark|image/svg+xml"
  "core-back|/v1/muscles/core/map?view=back|image/svg+xml"
  "clamshells-png|/v1/exercises/clamshells/map.png|*/*"
  "combined-png-960|/v1/maps?primary=gluteus-medius&secondary=gluteus-maximus&width=960|image/png"
)

screenshot() { # url out.png WxH
  local profile
  profile="$(mktemp -d)"
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --screenshot="$2" --window-size="$3" "$1" \
    > /dev/null 2>&1 || true
  rm -rf "$profile"
}

check_sample() {
  local name="$1" path="$2" accept="$3"
  local file headers type
  headers="$DIR/$name.headers"
  if [[ "$name" == *-png* ]]; then file="$DIR/$name.png"; else file="$DIR/$name.svg"; fi
  local status
  status="$(curl -sS -D "$headers" -o "$file" -w '%{http_code}' -H "Accept: $accept" "$BASE_URL$path")"
  type="$(grep -i '^content-type:' "$headers" | tr -d '\r' | cut -d' ' -f2)"
  if [ "$status" != 200 ]; then bad "$name: HTTP $status"; return; fi
  ok "$name: HTTP 200 $type, $(wc -c < "$file") bytes"
  if [[ "$file" == *.png ]]; then
    if [ "$type" = image/png ] && [ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
      ok "$name: a PNG"
    else
      bad "$name: not a PNG ($type)"
    fi
    return
  fi
  [ "$type" = image/svg+xml ] && ok "$name: image/svg+xml" || bad "$name: type $type"
  if grep -qiE '<script|href=|<image|<foreignobject|javascript:' "$file"; then
    bad "$name: unsafe SVG content"
  else
    ok "$name: no scripts or external references"
  fi
  local w h
  w="$(grep -o 'width="[0-9.]*"' "$file" | head -1 | tr -dc '0-9.')"
  h="$(grep -o 'height="[0-9.]*"' "$file" | head -1 | tr -dc '0-9.')"
  w="${w%.*}"
  h="${h%.*}"
  screenshot "$BASE_URL$path" "$DIR/$name.screenshot.png" "$w,$h"
  # The same map squeezed to 96 px wide, as an app icon would show it.
  printf '<!doctype html><body style="margin:0"><img src="%s" style="width:96px"></body>' \
    "$BASE_URL$path" > "$DIR/$name.96.html"
  screenshot "file://$DIR/$name.96.html" "$DIR/$name.96px.screenshot.png" "96,220"
  local size
  size="$(wc -c < "$DIR/$name.screenshot.png" 2> /dev/null || echo 0)"
  # A blank page screenshots to a few kB; a drawn figure to far more.
  if [ "$size" -gt 20000 ]; then
    ok "$name: screenshot ($size bytes)"
  else
    bad "$name: screenshot missing or blank ($size bytes)"
  fi
}

{
  for sample in "${SAMPLES[@]}"; do
    IFS='|' read -r name path accept <<< "$sample"
    check_sample "$name" "$path" "$accept"
  done
  echo "COUNTS bodymap assertions=$((passed + failed)) failed=$failed"
} | tee "$DIR/bodymap.log"

grep '^COUNTS ' "$DIR/bodymap.log" | tail -1 > "$OUT/bodymap.counts"
failed="$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' "$OUT/bodymap.counts")"
if [ "${failed:-1}" -eq 0 ]; then echo "bodymap: 1 passed, 0 failed"; else echo "bodymap: 0 passed, 1 failed"; fi
[ "${failed:-1}" -eq 0 ]
