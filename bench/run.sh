#!/usr/bin/env bash
# Benchmark: accord side by side with Hugo on a synthetic partnership-news corpus.
#
#   bench/run.sh              # N = 1000 and 10000 documents
#   bench/run.sh 200 1000     # other sizes (a quick run)
#   RUNS=5 bench/run.sh       # more repetitions (default 3; the median is shown)
#   BUDGET=600 bench/run.sh   # a build slower than this many seconds runs once (default 300)
#   TIME_LIMIT=1200 MEM_LIMIT_GB=12 bench/run.sh   # one build's limits (the defaults)
#   KEEP=1 bench/run.sh       # keep the generated corpora and outputs (path is printed)
#   WARMUP=0 bench/run.sh     # no untimed first build of each tool per N (default: one)
#   ACCORD=/path/accord bench/run.sh   # benchmark that binary instead of building one
#   BENCH_DIR=/tmp bench/run.sh        # work on disk instead of tmpfs (/dev/shm)
#
# For each N, bench/gen_corpus.py writes a deterministic corpus (half .txt scrapes, half
# .md with TOML front matter); accord builds all of it, Hugo builds the .md half with the
# minimal templates in bench/hugo/. Each tool runs RUNS rounds, accord's and Hugo's in
# turn, so that both meet the machine as it is at the time (a shared VM's speed drifts): a
# round is a full build into an empty output folder, then a rebuild after changing one
# document, with that output left in place. Wall time, CPU time (user+sys) and peak RSS come
# from /usr/bin/time; pages are the .html files written. A row shows the medians, and
# incremental/full the median of each round's own rebuild/full ratio. Before the rounds, each
# tool builds each corpus once untimed (WARMUP): on a VM the first use of memory since boot
# and a cold page cache made the first round's build up to half as slow again (system time
# 4.6-5.9 s against 2.0-2.4 s for the same 10k build later), which skews a median of three.
# Timing lives here only, never in the test suite.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
BUDGET=${BUDGET:-300}
TIME_LIMIT=${TIME_LIMIT:-1200}
MEM_LIMIT_GB=${MEM_LIMIT_GB:-12}
if (($# > 0)); then SIZES=("$@"); else SIZES=(1000 10000); fi

log() { printf '%s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------------------
apt_install() {
    log "installing $* (apt-get)"
    apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y "$@" >/dev/null; }
}
command -v hugo >/dev/null || apt_install hugo
[[ -x /usr/bin/time ]] || apt_install time
TIME=/usr/bin/time

# ACCORD=path/to/accord uses that binary (e.g. one built from a clean checkout while the
# work tree is mid-edit); otherwise the work tree is built in release mode.
if [[ -n "${ACCORD:-}" ]]; then
    ACCORD_DESC="$ACCORD (given)"
else
    log "building accord (cargo build --release)"
    (cd "$ROOT" && cargo build --release --locked --quiet)
    ACCORD="$ROOT/target/release/accord"
    ACCORD_DESC="work tree at $(git -C "$ROOT" rev-parse --short HEAD), release build"
    git -C "$ROOT" diff --quiet HEAD -- src || ACCORD_DESC+=" with uncommitted changes in src/"
fi

# Work in memory (tmpfs) by default, so the figures are the tools' own cost and not the
# disk's: on a shared VM disk one mkdir can take milliseconds. BENCH_DIR=/tmp measures disk.
if [[ -z "${BENCH_DIR:-}" ]]; then
    BENCH_DIR=${TMPDIR:-/tmp}
    [[ -d /dev/shm && -w /dev/shm ]] && BENCH_DIR=/dev/shm
fi
WORK=$(mktemp -d "$BENCH_DIR/accord-bench.XXXXXX")
if [[ "${KEEP:-0}" == 1 ]]; then
    log "keeping work folder $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

# --- measuring --------------------------------------------------------------------------
# measure FILE CMD...: runs CMD under /usr/bin/time, appends "wall cpu rss_kib" to FILE.
# CMD runs with at most TIME_LIMIT seconds and MEM_LIMIT_GB of address space (ulimit -v),
# so a build that blows up fails here instead of taking the machine with it.
# On failure prints the command's own output (the error text) and returns 1.
measure() {
    local out=$1 stats="$WORK/time.txt" cmdlog="$WORK/cmd.log" rc=0
    shift
    # shellcheck disable=SC2016  # $1 and $@ are the inner bash's own
    "$TIME" -f '%e %U %S %M' -o "$stats" timeout "$TIME_LIMIT" \
        bash -c 'ulimit -v "$1" && exec "${@:2}"' limit "$((MEM_LIMIT_GB * 1048576))" "$@" \
        >"$cmdlog" 2>&1 || rc=$?
    if ((rc != 0)); then
        {
            head -n 60 "$cmdlog"
            case $rc in
                124) echo "(stopped: over TIME_LIMIT=$TIME_LIMIT s)" ;;
                *) echo "(exit status $rc; MEM_LIMIT_GB=$MEM_LIMIT_GB, TIME_LIMIT=$TIME_LIMIT s)" ;;
            esac
            echo "(/usr/bin/time: $(tail -n 1 "$stats" | awk '{ printf "%s s wall, %.2f s CPU, %.0f MiB peak RSS", $1, $2 + $3, $4 / 1024 }'))"
        } >"$out.error"
        log "FAILED: $*"
        log "---- output ----"
        cat "$out.error" >&2
        log "----------------"
        return 1
    fi
    # /usr/bin/time's last line is the figures (earlier ones may be its own notes).
    tail -n 1 "$stats" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' >>"$out"
}

# median FILE COLUMN: the median of that column (1 wall, 2 cpu, 3 rss KiB).
median() {
    awk -v c="$2" '{ print $c }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = int((NR + 1) / 2);
              print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

pages() { find "$1" -name '*.html' | wc -l; }

# ratio A B [SUFFIX]: A/B to two decimals, then SUFFIX; n/a when either is missing.
ratio() {
    awk -v a="$1" -v b="$2" -v s="${3:-}" \
        'BEGIN { if (a > 0 && b > 0) printf "%.2f%s", a / b, s; else print "n/a" }'
}

# touch_doc N FILE...: changes one document the same way in each copy given.
touch_doc() {
    local n=$1 f
    shift
    for f in "$@"; do
        printf '\nUpdate %s: the partners added %s more doctoral fellowships.\n' "$n" "$n" >>"$f"
    done
}

# round NAME DIR RESULTFILE FILE R BUILD-CMD...: round R of a tool: a full build into an
# empty DIR/out (no extraction cache either), then a rebuild after changing FILE, a document
# of DIR. Appends to RESULTFILE.full and .incr, and to .share the rebuild's time over this
# round's full build's; writes .pages after the first full build. Returns 1 on failure.
round() {
    local name=$1 dir=$2 res=$3 file=$4 r=$5
    shift 5
    rm -rf "$dir/out" "$dir/.accord-cache"
    log "  $name full build $r/$RUNS"
    measure "$res.full" "$@" || return 1
    [[ -s "$res.pages" ]] || pages "$dir/out" >"$res.pages"
    touch_doc "$r" "$file"
    log "  $name rebuild after one change $r/$RUNS"
    measure "$res.incr" "$@" || return 1
    awk -v i="$(tail -n 1 "$res.incr" | cut -d' ' -f1)" -v f="$(tail -n 1 "$res.full" | cut -d' ' -f1)" \
        'BEGIN { if (f > 0) printf "%.4f\n", i / f }' >>"$res.share"
}

# over_budget FILE: true when a wall time in FILE exceeds BUDGET seconds.
over_budget() { awk -v b="$BUDGET" '$1 > b { slow = 1 } END { exit !slow }' "$1"; }

# row NAME RESULTFILE: one table row from the medians.
row() {
    local name=$1 res=$2
    if [[ ! -s "$res.full" || ! -s "$res.pages" ]]; then
        printf '| %s | FAILED | | | | | |\n' "$name"
        return
    fi
    local wall cpu rss inc share
    wall=$(median "$res.full" 1)
    cpu=$(median "$res.full" 2)
    rss=$(awk -v k="$(median "$res.full" 3)" 'BEGIN { printf "%.1f", k / 1024 }')
    inc=$( [[ -s "$res.incr" ]] && median "$res.incr" 1 || echo n/a)
    share=$( [[ -s "$res.share" ]] && awk '{ printf "%.3f\n", $1 }' <(median "$res.share" 1) || echo n/a)
    local runs
    runs=$(wc -l <"$res.full")
    ((runs == RUNS)) || name+=" ($runs run$( ((runs == 1)) || echo s))"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$wall" "$cpu" "$rss" \
        "$(cat "$res.pages")" "$inc" "$share"
}

# --- the runs ---------------------------------------------------------------------------
printf '# accord vs Hugo — %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf -- '- machine: %s cores, %s, %s GiB RAM\n' "$(nproc)" \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
    "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)"
printf -- '- accord: %s\n- %s\n' "$ACCORD_DESC" "$(hugo version | cut -d' ' -f1-2)"
printf -- '- command: bench/run.sh %s (RUNS=%s, WARMUP=%s, BUDGET=%s s, TIME_LIMIT=%s s, MEM_LIMIT_GB=%s; medians)\n' \
    "${SIZES[*]}" "$RUNS" "$WARMUP" "$BUDGET" "$TIME_LIMIT" "$MEM_LIMIT_GB"
printf -- '- corpus and output on: %s (%s)\n' "$BENCH_DIR" "$(stat -f -c %T "$WORK")"
# Other work on a 2-core machine skews wall time far more than CPU time: say how busy it was.
printf -- '- load average at start: %s\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

declare -A ACCORD_WALL HUGO_WALL ACCORD_CPU HUGO_CPU
for n in "${SIZES[@]}"; do
    site="$WORK/n$n"
    log "N=$n: generating corpus"
    summary=$(python3 "$BENCH/gen_corpus.py" --n "$n" --out "$site/accord" --hugo "$site/hugo")
    summary=${summary% in *}
    cp -r "$BENCH/hugo/." "$site/hugo/"
    md_docs=("$site/hugo/content/posts"/doc-*.md)   # sorted by the glob
    n_md=${#md_docs[@]}
    first_md=$(basename "${md_docs[0]}")
    for tool in accord hugo; do
        rm -f "$site/$tool.res".{full,incr,share,pages}
        touch "$site/$tool.res".{full,incr,share}
    done
    accord_ok=1 hugo_ok=1 runs=$RUNS
    if ((WARMUP)); then
        log "  warm-up: one untimed build of each"
        rm -rf "$site/accord/out" "$site/accord/.accord-cache" "$site/hugo/out"
        # Under the same limits as the timed builds; a failure shows again in the rounds.
        measure "$WORK/warmup" "$ACCORD" build --root "$site/accord" --output "$site/accord/out" || true
        measure "$WORK/warmup" hugo --quiet -s "$site/hugo" -d "$site/hugo/out" || true
        rm -f "$WORK/warmup" "$WORK/warmup.error"
    fi
    for ((r = 1; r <= runs; r++)); do
        if ((accord_ok)); then
            round accord "$site/accord" "$site/accord.res" "$site/accord/seeds/$first_md" "$r" \
                "$ACCORD" build --root "$site/accord" --output "$site/accord/out" ||
                { accord_ok=0; log "  accord failed on N=$n (error above)"; }
        fi
        if ((hugo_ok)); then
            round hugo "$site/hugo" "$site/hugo.res" "$site/hugo/content/posts/$first_md" "$r" \
                hugo --quiet -s "$site/hugo" -d "$site/hugo/out" ||
                { hugo_ok=0; log "  hugo failed on N=$n (error above)"; }
        fi
        # A build slower than BUDGET is not repeated (its row then says "1 run").
        if over_budget "$site/accord.res.full" || over_budget "$site/hugo.res.full"; then runs=$r; fi
    done

    printf '## N = %s documents\n\n%s; Hugo builds the %s .md documents.\n\n' "$n" "$summary" "$n_md"
    printf '| tool | wall s | CPU s (user+sys) | peak RSS MiB | pages | incremental wall s | incremental/full |\n'
    printf '|---|---|---|---|---|---|---|\n'
    row accord "$site/accord.res"
    row hugo "$site/hugo.res"
    for tool in accord hugo; do
        for err in "$site/$tool.res.full.error" "$site/$tool.res.incr.error"; do
            if [[ -s "$err" ]]; then
                printf '\n%s failed:\n\n' "$tool"
                sed 's/^/    /' "$err"   # an indented (code) block in Markdown
            fi
        done
    done
    aw=$( [[ -s "$site/accord.res.full" ]] && median "$site/accord.res.full" 1 || echo 0)
    hw=$( [[ -s "$site/hugo.res.full" ]] && median "$site/hugo.res.full" 1 || echo 0)
    ar=$( [[ -s "$site/accord.res.full" ]] && median "$site/accord.res.full" 3 || echo 0)
    hr=$( [[ -s "$site/hugo.res.full" ]] && median "$site/hugo.res.full" 3 || echo 0)
    ACCORD_WALL[$n]=$aw
    HUGO_WALL[$n]=$hw
    ACCORD_CPU[$n]=$( [[ -s "$site/accord.res.full" ]] && median "$site/accord.res.full" 2 || echo 0)
    HUGO_CPU[$n]=$( [[ -s "$site/hugo.res.full" ]] && median "$site/hugo.res.full" 2 || echo 0)
    printf '\naccord/Hugo: wall time %s, peak RSS %s\n\n' "$(ratio "$aw" "$hw" x)" "$(ratio "$ar" "$hr" x)"
    [[ "${KEEP:-0}" == 1 ]] || rm -rf "$site"
done

printf -- '- load average at end: %s\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

if ((${#SIZES[@]} > 1)); then
    first=${SIZES[0]}
    last=${SIZES[${#SIZES[@]} - 1]}
    printf '## Linearity (%s → %s documents, %s)\n\n' "$first" "$last" "$(ratio "$last" "$first" x)"
    printf -- '- accord %s/%s: wall time %s, CPU time %s\n' "$last" "$first" \
        "$(ratio "${ACCORD_WALL[$last]}" "${ACCORD_WALL[$first]}" x)" \
        "$(ratio "${ACCORD_CPU[$last]}" "${ACCORD_CPU[$first]}" x)"
    printf -- '- Hugo %s/%s: wall time %s, CPU time %s\n' "$last" "$first" \
        "$(ratio "${HUGO_WALL[$last]}" "${HUGO_WALL[$first]}" x)" \
        "$(ratio "${HUGO_CPU[$last]}" "${HUGO_CPU[$first]}" x)"
fi
