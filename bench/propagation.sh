#!/usr/bin/env bash
# Measures end-to-end propagation latency of small edits between two peersync daemons on loopback: watcher
# debounce + scan + index update + announce + pull, as seen by a reader of the file on the receiving side.
#
# usage: bench/propagation.sh [--edits N] [--gap MS] [--timeout S] [--keep] [--rebuild] [--dir DIR]
#   --edits N    number of edits (default 50)
#   --gap MS     pause between one edit arriving and the next edit (default 200 ms), so each is its own change
#   --timeout S  an edit that has not arrived on B after S seconds counts as a failure (default 10)
#   --keep       leave the work directory (with both daemons' logs) in place
#   --rebuild    let ./peersync rebuild the jar if sources are newer (default: only build a missing jar)
#   --dir DIR    work directory (default: a new one under $TMPDIR or /tmp)
#
# A shares a folder of 20 small files in 3 directories with B. Once both report inSync, each edit appends one
# line holding a unique token to one of 5 files on A (in rotation), and the clock runs from just before the
# write until B's copy of that file contains the token, polled on disk every 1 ms (python3, monotonic clock).
# Prints every latency, then median, p90, p99, max and the number of failures.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/sync-cli/target/peersync.jar"
edits=50
gap_ms=200
timeout_s=10
keep=0
rebuild=0
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --edits) edits="$2"; shift 2 ;;
    --gap) gap_ms="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    --dir) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in java python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench needs '$tool' on PATH (apt-get install $tool)" >&2; exit 1; }
done

if [ ! -f "$jar" ] || [ "$rebuild" = 1 ]; then
  "$repo/peersync" --version >/dev/null
fi
echo "peersync jar: $jar (built $(date -r "$jar" '+%Y-%m-%d %H:%M:%S'))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
cli_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/peersync-bench.XXXXXX")}"
mkdir -p "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A loopback port nobody listens on (bash's /dev/tcp fails to connect to a free one).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

psync() { local home="$1"; shift; java "${cli_jvm[@]}" -jar "$jar" "$@" --home "$home"; }
status_line() { psync "$1" status --json 2>/dev/null | tr -d ' \n'; }
field() { grep -o "\"$2\":[a-z0-9]*" <<<"$1" | head -n 1 | cut -d: -f2; }

start_daemon() { # name home log peer...
  local name="$1" home="$2" log="$3"
  shift 3
  local listen api
  listen="$(free_port)"
  api="$(free_port)"
  local args=(daemon --home "$home" --listen "127.0.0.1:$listen" --api "127.0.0.1:$api" --no-discovery)
  for peer in "$@"; do args+=(--peer "$peer"); done
  mkdir -p "$home"
  java -jar "$jar" "${args[@]}" >"$log" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 90))
  until psync "$home" status --json >/dev/null 2>&1; do
    if [ $SECONDS -gt $deadline ] || ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "daemon $name did not come up within 90 s or exited; its log ($log):" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  eval "${name}_listen=127.0.0.1:$listen"
}

wait_in_sync() { # home want timeout-seconds
  local home="$1" want="$2" deadline=$((SECONDS + $3)) line
  while :; do
    line="$(status_line "$home")"
    if [ "$(field "$line" inSync)" = true ] && [ "$(field "$line" globalFiles)" = "$want" ] \
        && [ "$(field "$line" localFiles)" = "$want" ]; then
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "timed out waiting for $home to be in sync with $want files; last status: $line" >&2
      return 1
    fi
    sleep 0.2
  done
}

# The shared folder: 20 small files in 3 directories.
a_dir="$work/a-folder"
b_dir="$work/b-folder"
mkdir -p "$a_dir/wp-content/uploads" "$a_dir/wp-content/themes/t" "$a_dir/wp-includes"
for i in $(seq 1 20); do
  case $((i % 3)) in
    0) d=wp-content/uploads ;;
    1) d=wp-content/themes/t ;;
    2) d=wp-includes ;;
  esac
  printf 'file %d\nline two of file %d\n' "$i" "$i" >"$a_dir/$d/f$i.txt"
done
files=20

start_daemon a "$work/a-home" "$work/a.log"
start_daemon b "$work/b-home" "$work/b.log" "$a_listen"
secret="$(psync "$work/a-home" secret new)"
psync "$work/a-home" folder add "$a_dir" --secret "$secret" >/dev/null
psync "$work/b-home" folder add "$b_dir" --secret "$secret" >/dev/null
wait_in_sync "$work/a-home" "$files" 120
wait_in_sync "$work/b-home" "$files" 120
wait_in_sync "$work/a-home" "$files" 120
echo "A and B in sync with $files files; $edits edits, ${gap_ms} ms apart, ${timeout_s} s timeout each"

python3 - "$a_dir" "$b_dir" "$edits" "$gap_ms" "$timeout_s" <<'EOF'
import os, sys, time

a_dir, b_dir, edits, gap_ms, timeout_s = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
targets = ["wp-content/uploads/f3.txt", "wp-content/themes/t/f4.txt", "wp-includes/f5.txt",
           "wp-content/uploads/f6.txt", "wp-content/themes/t/f7.txt"]

def contains(path, token):
    try:
        with open(path, "rb") as f:
            return token in f.read()
    except OSError:
        return False  # missing or mid-replace: not there yet

latencies, failures = [], 0
for i in range(edits):
    rel = targets[i % len(targets)]
    token = ("edit-%d-%d" % (i, time.time_ns())).encode()
    t0 = time.monotonic()
    with open(os.path.join(a_dir, rel), "ab") as f:
        f.write(token + b"\n")
    deadline = t0 + timeout_s
    b_path = os.path.join(b_dir, rel)
    while True:
        if contains(b_path, token):
            ms = (time.monotonic() - t0) * 1000
            latencies.append(ms)
            print("edit %3d  %-28s %8.1f ms" % (i + 1, rel, ms), flush=True)
            break
        if time.monotonic() > deadline:
            failures += 1
            print("edit %3d  %-28s   FAILED (not on B after %g s)" % (i + 1, rel, timeout_s), flush=True)
            break
        time.sleep(0.001)
    time.sleep(gap_ms / 1000)

def pct(sorted_vals, p):
    # nearest-rank percentile
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(-(-p * len(sorted_vals) // 100)) - 1))
    return sorted_vals[k]

s = sorted(latencies)
print()
print("== propagation A -> B of %d single-line appends (ms)" % edits)
if s:
    median = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
    print("min %.1f  median %.1f  p90 %.1f  p99 %.1f  max %.1f  failures %d of %d"
          % (s[0], median, pct(s, 90), pct(s, 99), s[-1], failures, edits))
else:
    print("no edit arrived; failures %d of %d" % (failures, edits))
sys.exit(1 if failures else 0)
EOF
