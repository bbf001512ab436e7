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

echo "== W3C Nu HTML checker"
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site"
echo "vnu: 0 errors in $(find "$site" -name '*.html' | wc -l) pages"

echo "== Chromium"
node browser.mjs "$site" "$artifacts" "$work/plain"
