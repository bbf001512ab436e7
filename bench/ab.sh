#!/usr/bin/env bash
# Side by side: two accord binaries in alternating rounds on the same generated corpus.
#
#   bench/ab.sh OLD NEW             # 4 rounds at N = 10000
#   ROUNDS=6 N=1000 bench/ab.sh OLD NEW
#
# A shared VM's speed drifts from minute to minute, by more than many changes are worth, so a
# change is measured against the code before it in turns: each round runs OLD, then NEW, each
# a full build into an empty output (no cache), the edit bench/run.sh makes to one document,
# and a rebuild. Each binary works on its own copy of the corpus, so each keeps its own cache
# (the cache is keyed by the binary). One untimed build of each comes first. Prints every
# round and the medians of wall and CPU time (user+sys), and each rebuild's share of its
# round's full build. Timing lives here and in bench/run.sh only, never in the test suite.
set -euo pipefail

if (($# != 2)); then
    echo "usage: bench/ab.sh OLD-ACCORD NEW-ACCORD (ROUNDS=4 N=10000 in the environment)" >&2
    exit 2
fi
OLD=$(realpath "$1")
NEW=$(realpath "$2")
ROUNDS=${ROUNDS:-4}
N=${N:-10000}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ -x /usr/bin/time ]] || { apt-get install -y time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y time >/dev/null; }; }

BASE=${TMPDIR:-/tmp}
[[ -d /dev/shm && -w /dev/shm ]] && BASE=/dev/shm
WORK=$(mktemp -d "$BASE/accord-ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
python3 "$BENCH/gen_corpus.py" --n "$N" --out "$WORK/old" >/dev/null
cp -a "$WORK/old" "$WORK/new"

# timed FILE CMD...: appends "wall cpu" of CMD to FILE.
timed() {
    local out=$1
    shift
    /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$@" >/dev/null 2>&1
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/time" >>"$out"
}

for side in old new; do
    bin=$OLD
    [[ $side == new ]] && bin=$NEW
    "$bin" build --root "$WORK/$side" --output "$WORK/$side/out" >/dev/null 2>&1
done
for ((r = 1; r <= ROUNDS; r++)); do
    for side in old new; do
        bin=$OLD
        [[ $side == new ]] && bin=$NEW
        site=$WORK/$side
        rm -rf "$site/out" "$site/.accord-cache"
        timed "$WORK/$side.full" "$bin" build --root "$site" --output "$site/out"
        doc=$(find "$site/seeds" -name 'doc-*.md' | sort | head -n 1)
        printf '\nUpdate %s: the partners added %s more doctoral fellowships.\n' "$r" "$r" >>"$doc"
        timed "$WORK/$side.incr" "$bin" build --root "$site" --output "$site/out"
        printf 'round %s %s: full %s, rebuild %s\n' "$r" "$side" \
            "$(tail -n 1 "$WORK/$side.full")" "$(tail -n 1 "$WORK/$side.incr")"
    done
done

# median FILE COLUMN
median() {
    awk -v c="$2" '{ print $c }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

printf '\nN = %s, %s rounds (wall s, CPU s; medians)\n' "$N" "$ROUNDS"
printf '| binary | full wall | full CPU | rebuild wall | rebuild CPU | rebuild/full by round |\n|---|---|---|---|---|---|\n'
for side in old new; do
    bin=$OLD
    [[ $side == new ]] && bin=$NEW
    shares=$(paste -d' ' "$WORK/$side.incr" "$WORK/$side.full" |
        awk '{ printf "%s%.3f", (NR > 1 ? ", " : ""), $1 / $3 }')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$bin" \
        "$(median "$WORK/$side.full" 1)" "$(median "$WORK/$side.full" 2)" \
        "$(median "$WORK/$side.incr" 1)" "$(median "$WORK/$side.incr" 2)" "$shares"
done
