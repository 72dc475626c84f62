#!/usr/bin/env bash
# Measures end-to-end propagation latency of small edits between two peersync daemons on loopback: watcher
# debounce + scan + index update + announce + pull, as seen by a reader of the file on the receiving side.
#
# usage: bench/propagation.sh [--edits N] [--gap MS] [--timeout S] [--syncthing] [--syncthing-delay S]...
#                             [--keep] [--rebuild] [--dir DIR]
#   --edits N    number of edits (default 50)
#   --gap MS     pause between one edit arriving and the next edit (default 200 ms), so each is its own change
#   --timeout S  an edit that has not arrived on B after S seconds counts as a failure (default 10; for
#                Syncthing at least 3 x its watcher delay + 10 s)
#   --syncthing  then the same edits between two Syncthing instances (syncthing.sh: loopback only, no
#                discovery/relays/NAT/reporting, in a network namespace of its own when run as root), once
#                with the watcher delay fsWatcherDelayS at its default, 10 s, and once at its minimum, 1 s
#   --syncthing-delay S  run Syncthing with fsWatcherDelayS=S only (repeat for several; implies --syncthing)
#   --keep       leave the work directory (with both daemons' logs) in place
#   --rebuild    let ./peersync rebuild the jar if sources are newer (default: only build a missing jar)
#   --dir DIR    work directory (default: a new one under $TMPDIR or /tmp)
#
# A shares a folder of 20 small files in 3 directories with B. Once both report inSync, each edit appends one
# line holding a unique token to one of 5 files on A (in rotation), and the clock runs from just before the
# write until B's copy of that file contains the token, polled on disk every 1 ms (python3, monotonic clock).
# Prints every latency, then median, p90, p99, max and the number of failures; with --syncthing the same for
# each Syncthing watcher delay (fresh instances, fresh folders), then the medians and peersync/syncthing ratios.
# Exits 1 if any edit failed.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/syncthing.sh"
edits=50
gap_ms=200
timeout_s=10
syncthing=0
st_delays=()  # the fsWatcherDelayS values Syncthing runs with
script_arg() {
  case "$1" in
    --edits) edits="$2"; arg_words=2 ;;
    --gap) gap_ms="$2"; arg_words=2 ;;
    --timeout) timeout_s="$2"; arg_words=2 ;;
    --syncthing) syncthing=1; arg_words=1 ;;
    --syncthing-delay) syncthing=1; st_delays+=("$2"); arg_words=2 ;;
  esac
}
parse_args "$@"
if [ "$syncthing" = 1 ] && [ ${#st_delays[@]} = 0 ]; then st_delays=(10 1); fi

require_tools java python3
bench_setup
print_load
if [ "$syncthing" = 1 ]; then st_setup; fi
# shellcheck disable=SC2317 # run by lib.sh's cleanup
bench_before_cleanup() { st_cleanup; }

# The shared folder: 20 small files in 3 directories.
make_folder() { # dir
  local i d
  mkdir -p "$1/wp-content/uploads" "$1/wp-content/themes/t" "$1/wp-includes"
  for i in $(seq 1 20); do
    case $((i % 3)) in
      0) d=wp-content/uploads ;;
      1) d=wp-content/themes/t ;;
      2) d=wp-includes ;;
    esac
    printf 'file %d\nline two of file %d\n' "$i" "$i" >"$1/$d/f$i.txt"
  done
}
files=20

# The timed edits: prints each latency and the summary, appends "NAME MEDIAN FAILURES" to $work/medians and
# fails if an edit did not arrive in time.
edit_loop() { # name a-dir b-dir timeout-seconds
  python3 - "$@" "$edits" "$gap_ms" "$work/medians" <<'EOF'
import os, sys, time

name, a_dir, b_dir, timeout_s = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
edits, gap_ms, medians = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
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
median = float("nan")
print()
print("== %s: propagation A -> B of %d single-line appends (ms)" % (name, edits))
if s:
    median = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
    print("min %.1f  median %.1f  p90 %.1f  p99 %.1f  max %.1f  failures %d of %d"
          % (s[0], median, pct(s, 90), pct(s, 99), s[-1], failures, edits))
else:
    print("no edit arrived; failures %d of %d" % (failures, edits))
with open(medians, "a") as f:
    f.write("%s %.1f %d\n" % (name, median, failures))
sys.exit(1 if failures else 0)
EOF
}

failed=0
a_dir="$work/a-folder"
b_dir="$work/b-folder"
make_folder "$a_dir"
start_pair "$a_dir" "$b_dir"
wait_in_sync "$work/a-home" "$files" 120
wait_in_sync "$work/b-home" "$files" 120
wait_in_sync "$work/a-home" "$files" 120
echo "A and B in sync with $files files; $edits edits, ${gap_ms} ms apart, ${timeout_s} s timeout each"
edit_loop peersync "$a_dir" "$b_dir" "$timeout_s" || failed=1

# Syncthing, per watcher delay: two fresh instances, A's fresh copy of the folder shared with B (send-receive).
if [ "$syncthing" = 1 ]; then stop_daemons; fi
for delay in "${st_delays[@]}"; do
  echo
  print_load
  st_dir="$work/syncthing-delay-$delay"
  make_folder "$st_dir/a-folder"
  st_init a "$st_dir/a-home"
  st_init b "$st_dir/b-home"
  st_peer a b
  st_peer b a
  st_folder a small "$st_dir/a-folder" "$delay" b
  st_folder b small "$st_dir/b-folder" "$delay" a
  st_start a "$st_dir/a.log"
  st_start b "$st_dir/b.log"
  st_wait_in_sync a small "$files" 120
  st_wait_in_sync b small "$files" 120
  st_timeout="$(awk -v t="$timeout_s" -v d="$delay" 'BEGIN { m = 3 * d + 10; print (t > m ? t : m) }')"
  echo "syncthing, fsWatcherDelayS=$delay: A and B in sync with $files files; $edits edits, ${gap_ms} ms apart," \
       "${st_timeout} s timeout each"
  edit_loop "syncthing-delay-$delay" "$st_dir/a-folder" "$st_dir/b-folder" "$st_timeout" || failed=1
  st_stop_all
done

if [ "$syncthing" = 1 ]; then
  echo
  echo "== medians of the propagation latency (ms)"
  awk 'NR == 1 { p = $2 }
       { printf "%-24s median %9.1f  failures %d", $1, $2, $3 }
       NR > 1 && $2 > 0 { printf "  ratio peersync/syncthing %.3f", p / $2 }
       { print "" }' "$work/medians"
  print_load
fi
exit "$failed"
