#!/usr/bin/env bash
# Measures how atomically a WordPress-style plugin update reaches a peer: the receiver's change-set window
# (first to last rename of the set, from B's log), how many change sets B applied for the update, the time from
# the swap on A until every file on B has the new version, and whether a concurrent reader on B ever saw a mix
# of old and new plugin files.
#
# usage: bench/changeset-window.sh [--rounds N] [--files N] [--size KIB] [--keep] [--rebuild] [--dir DIR]
#   --rounds N  plugin updates to perform, v1->v2, v2->v3, ... (default 3)
#   --files N   files in the plugin (default 1000, in 20 subdirectories)
#   --size KIB  size of each file (default 30 KiB; 1000 x 30 KiB ~ 30 MiB)
#   --keep      leave the work directory (with both daemons' logs) in place
#   --rebuild   let ./peersync rebuild the jar if sources are newer (default: only build a missing jar)
#   --dir DIR   work directory (default: a new one under $TMPDIR or /tmp)
#
# The folder looks like wp-content: `.peersyncignore` holds `/upgrade/`, and plugin v1 is at plugins/foo. Each
# update does what WordPress's upgrader does: write the new version into upgrade/foo-new (ignored), then
# rename plugins/foo -> upgrade/foo-old, rename upgrade/foo-new -> plugins/foo, delete upgrade/foo-old.
# Every file's first line is its version ("v2"); the rest is deterministic random bytes. Meanwhile a reader
# on B sweeps over all plugin files as fast as it can, reading each one's version: a sweep that finds every
# file but both versions is "mixed" (expected 0); sweeps that find a file missing are counted apart.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=3
nfiles=1000
size_kib=30
script_arg() {
  case "$1" in
    --rounds) rounds="$2"; arg_words=2 ;;
    --files) nfiles="$2"; arg_words=2 ;;
    --size) size_kib="$2"; arg_words=2 ;;
  esac
}
parse_args "$@"

require_tools java python3
bench_setup
print_load
reader_pid=""
bench_before_cleanup() { [ -n "$reader_pid" ] && kill "$reader_pid" 2>/dev/null || true; }

# The helper for both sides: `gen DIR VERSION` writes a plugin version; `swap ROOT VERSION STAMPFILE` does the
# upgrader's stage-and-swap on A and writes the monotonic time of the swap; `read DIR VERSION STAMPFILE` is B's
# concurrent reader, which ends when a full sweep sees only VERSION and prints its findings as one line.
helper="$work/plugin.py"
cat >"$helper" <<'EOF'
import os, random, shutil, sys, time

NFILES = int(os.environ["BENCH_FILES"])
SIZE = int(os.environ["BENCH_SIZE_KIB"]) * 1024
SUBDIRS = 20

def rel_paths():
    return ["sub%02d/file%04d.php" % (i % SUBDIRS, i) for i in range(NFILES)]

def gen(root, version):
    for rel in rel_paths():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        rnd = random.Random("%s:%s" % (version, rel))
        with open(path, "wb") as f:
            f.write(("v%d\n" % version).encode())
            f.write(rnd.randbytes(SIZE - 3))

def swap(root, version, stamp):
    up = os.path.join(root, "upgrade")
    new, old, live = os.path.join(up, "foo-new"), os.path.join(up, "foo-old"), os.path.join(root, "plugins", "foo")
    os.makedirs(up, exist_ok=True)
    t = time.monotonic()
    gen(new, version)
    staged = time.monotonic() - t
    os.rename(live, old)
    os.rename(new, live)
    swapped = time.monotonic()
    shutil.rmtree(old)
    with open(stamp + ".tmp", "w") as f:
        f.write("%.6f\n" % swapped)
    os.rename(stamp + ".tmp", stamp)
    wall = time.time() - (time.monotonic() - swapped)
    print("staged v%d in %.2f s, swapped at %s.%03d (compare with the daemons' logs)"
          % (version, staged, time.strftime("%H:%M:%S", time.localtime(wall)), int(wall * 1000) % 1000), flush=True)

def read(root, version, stamp, timeout_s=600):
    want = ("v%d" % version).encode()
    paths = [os.path.join(root, rel) for rel in rel_paths()]
    sweeps = mixed = missing_sweeps = 0
    first_new = None            # monotonic time a new-version file was first seen
    first_mixed_detail = ""
    mixed_from = mixed_to = None  # from the start of the first mixed sweep to the end of the last one
    start = time.monotonic()
    rels = rel_paths()
    while True:
        seen, missing = set(), 0
        sweep_start = time.monotonic()
        # Each sweep holds the plugin directory open and reads every file relative to it (openat), as a
        # snapshot reader would: an atomic swap of the directory shows it one whole version per sweep.
        try:
            dir_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            dir_fd = None
            missing = len(rels)
        if dir_fd is not None:
            try:
                for rel in rels:
                    try:
                        fd = os.open(rel, os.O_RDONLY, dir_fd=dir_fd)
                        try:
                            seen.add(os.read(fd, 8).split(b"\n")[0])
                        finally:
                            os.close(fd)
                    except FileNotFoundError:
                        missing += 1
            finally:
                os.close(dir_fd)
        now = time.monotonic()
        sweeps += 1
        if want in seen and first_new is None:
            first_new = now
        if missing:
            missing_sweeps += 1
        elif len(seen) > 1:
            mixed += 1
            if mixed_from is None:
                mixed_from = sweep_start
            mixed_to = now
            if not first_mixed_detail:
                first_mixed_detail = " first mixed sweep saw " + ",".join(sorted(s.decode() for s in seen))
        elif seen == {want}:
            break
        if now - start > timeout_s:
            print("TIMEOUT after %d s: sweeps=%d mixed=%d missing_sweeps=%d" % (timeout_s, sweeps, mixed, missing_sweeps), flush=True)
            sys.exit(1)
    done = time.monotonic()
    for _ in range(1000):      # the swap stamp is written right after the swap; wait for it
        if os.path.exists(stamp):
            break
        time.sleep(0.01)
    swapped = float(open(stamp).read())
    span = "" if mixed_from is None else " mixed_span_ms=%.1f" % ((mixed_to - mixed_from) * 1000)
    print("swap_to_all_new_ms=%.1f first_new_after_ms=%.1f sweeps=%d (%.2f ms each) mixed=%d%s missing_sweeps=%d%s"
          % ((done - swapped) * 1000, ((first_new or done) - swapped) * 1000, sweeps, (done - start) * 1000 / sweeps,
             mixed, span, missing_sweeps, first_mixed_detail), flush=True)

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    elif cmd == "swap":
        swap(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == "read":
        read(sys.argv[2], int(sys.argv[3]), sys.argv[4])
EOF
export BENCH_FILES="$nfiles" BENCH_SIZE_KIB="$size_kib"

a_dir="$work/a-folder"
b_dir="$work/b-folder"
mkdir -p "$a_dir/plugins" "$b_dir"
printf '/upgrade/\n' >"$a_dir/.peersyncignore"
python3 "$helper" gen "$a_dir/plugins/foo" 1
files=$((nfiles + 1)) # the plugin and .peersyncignore
echo "plugin v1: $nfiles files of $size_kib KiB in 20 subdirectories ($(du -sh "$a_dir/plugins/foo" | cut -f1))"

start_pair "$a_dir" "$b_dir"
t0=$SECONDS
wait_in_sync "$work/a-home" "$files" 300
wait_in_sync "$work/b-home" "$files" 600
wait_in_sync "$work/a-home" "$files" 120
echo "A and B in sync with $files files (initial sync took ~$((SECONDS - t0)) s)"

set_re='applied a change set of [0-9]+ entries( by swapping [^ ]+ atomically)?; first to last rename took [0-9]+ µs'
results=()
for round in $(seq 1 "$rounds"); do
  from=$round
  to=$((round + 1))
  echo "== round $round: plugin update v$from -> v$to (load average $(loadavg))"
  stamp="$work/swap-$round.stamp"
  log_lines_before="$(wc -l <"$work/b.log")"
  python3 "$helper" read "$b_dir/plugins/foo" "$to" "$stamp" >"$work/reader-$round.out" 2>&1 &
  reader_pid=$!
  sleep 0.5 # the reader is sweeping v$from
  python3 "$helper" swap "$a_dir" "$to" "$stamp" | sed 's/^/   A: /'
  reader_rc=0
  wait "$reader_pid" || reader_rc=$?
  reader_pid=""
  reader="$(cat "$work/reader-$round.out")"
  echo "   B reader: $reader"
  wait_in_sync "$work/b-home" "$files" 300
  wait_in_sync "$work/a-home" "$files" 120
  sets="$(tail -n +"$((log_lines_before + 1))" "$work/b.log" | grep -oE "$set_re" || true)"
  nsets="$(grep -c . <<<"$sets" || true)"
  windows="$(sed -E 's/applied a change set of ([0-9]+) entries( by swapping [^ ]+ atomically)?; first to last rename took ([0-9]+) µs/\1 entries in \3 µs/' <<<"$sets" | paste -sd ';' | sed 's/;/; /g')"
  echo "   B applied $nsets change set(s): ${windows:-none}"
  if [ "$reader_rc" != 0 ]; then
    echo "   B never saw all of v$to on disk; B's log since the swap:" >&2
    tail -n +"$((log_lines_before + 1))" "$work/b.log" | tail -n 40 >&2
  fi
  swap_ms="$(grep -oE 'swap_to_all_new_ms=[0-9.]+' <<<"$reader" | cut -d= -f2)"
  mixed="$(grep -oE ' mixed=[0-9]+' <<<"$reader" | cut -d= -f2)"
  span="$(grep -oE 'mixed_span_ms=[0-9.]+' <<<"$reader" | cut -d= -f2 || true)"
  missing="$(grep -oE 'missing_sweeps=[0-9]+' <<<"$reader" | cut -d= -f2)"
  results+=("round $round v$from->v$to: B applied $nsets set(s) [${windows:-none}]; swap on A -> all v$to on B ${swap_ms:-?} ms; mixed sweeps ${mixed:-?}${span:+ over $span ms}; sweeps with a file missing ${missing:-?}")
done

echo
echo "== plugin update of $nfiles files x $size_kib KiB, A -> B"
printf '%s\n' "${results[@]}"
