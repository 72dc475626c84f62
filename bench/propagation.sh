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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
edits=50
gap_ms=200
timeout_s=10
script_arg() {
  case "$1" in
    --edits) edits="$2"; arg_words=2 ;;
    --gap) gap_ms="$2"; arg_words=2 ;;
    --timeout) timeout_s="$2"; arg_words=2 ;;
  esac
}
parse_args "$@"

require_tools java python3
bench_setup
print_load

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

start_pair "$a_dir" "$b_dir"
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
