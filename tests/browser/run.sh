#!/usr/bin/env bash
# The browser tier: builds the bundled site, validates every page with the W3C Nu HTML checker,
# then checks it in headless Chromium (crawl at / and under /REPO/ and from file://, search,
# print to PDF, screenshots). Needs chromium, java and poppler-utils (see .ci/run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
artifacts=${ARTIFACTS:-$repo/target/browser-artifacts}
mkdir -p "$artifacts"

cd "$here"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

cargo build --release --locked --manifest-path "$repo/Cargo.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site="$work/public"
"$repo/target/release/accord" build --root "$repo" --output "$site" --base-url "https://example.org/REPO/"
# The same site without a base URL, for its 404 page, which must find the site's root by itself.
"$repo/target/release/accord" build --root "$repo" --output "$work/plain" 2>/dev/null

# A larger generated site whose briefing comes in volumes, whose timeline comes as a page
# per year, and whose long lists go on over numbered pages (all three limits below its counts).
gen="$work/generated"
python3 "$repo/bench/gen_corpus.py" --n 80 --out "$gen" >/dev/null
printf 'briefing_limit = 20\ntimeline_limit = 100\npaginate_by = 20\n' >"$gen/accord.toml"
"$repo/target/release/accord" build --root "$gen" --output "$gen/public" 2>/dev/null
volumes=$(find "$gen/public/briefing" -mindepth 2 -name index.html | wc -l)
((volumes >= 2)) || { echo "expected the generated briefing in volumes, got $volumes"; exit 1; }
years=$(find "$gen/public/timeline" -mindepth 2 -name index.html | wc -l)
((years >= 2)) || { echo "expected the generated timeline in years, got $years"; exit 1; }
listed=$(find "$gen/public/partnerships/page" -mindepth 2 -name index.html | wc -l)
((listed >= 1)) || { echo "expected the generated partnerships on numbered pages, got $listed"; exit 1; }

echo "== W3C Nu HTML checker"
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site" "$gen/public"
echo "vnu: 0 errors in $(find "$site" "$gen/public" -name '*.html' | wc -l) pages (bundled site, and a generated one with $volumes briefing volumes, $years timeline years and $((listed + 1)) pages of partnerships)"

echo "== Print: a briefing volume to PDF"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$artifacts/briefing-volume.pdf" \
    "file://$(find "$gen/public/briefing" -mindepth 2 -name index.html | sort | tail -n 1)" 2>/dev/null
volume_pages=$(pdfinfo "$artifacts/briefing-volume.pdf" | awk '/^Pages:/ { print $2 }')
((volume_pages >= 1)) || { echo "the briefing volume printed no pages"; exit 1; }
pdftotext "$artifacts/briefing-volume.pdf" "$work/volume.txt"
grep -q "Partnerships" "$work/volume.txt" ||
    { echo "the printed volume lacks its Partnerships section"; exit 1; }
echo "print: a briefing volume, $volume_pages PDF pages"

echo "== Chromium"
node browser.mjs "$site" "$artifacts" "$work/plain"
