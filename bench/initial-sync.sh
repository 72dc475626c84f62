#!/usr/bin/env bash
# Times the initial sync of the WordPress tree between two peersync daemons on loopback, and `rsync -a` of the
# same tree through an rsync daemon on loopback, then prints both times and the ratio peersync/rsync; with
# --syncthing also between two Syncthing instances, and the ratio peersync/syncthing.
#
# usage: bench/initial-sync.sh [--runs N] [--syncthing] [--keep] [--rebuild] [--api-poll] [--dir DIR]
#   --runs N   repeat N times, each run into fresh directories (default 1)
#   --syncthing  also time Syncthing (syncthing.sh: loopback only, no discovery/relays/NAT/reporting, in a
#              network namespace of its own when run as root): A shares a copy of the tree and finishes its
#              initial scan, B is started knowing A and connects; the clock runs from the folder being added
#              to B (REST, as `folder add` for peersync) until B's folder is idle with all files, none needed
#   --keep     leave the work directory in place
#   --rebuild  let ./peersync rebuild the jar if sources are newer (default: only build a missing jar)
#   --api-poll poll the daemon's local status API with curl (home/api-address, home/api-token) instead of
#              running `peersync status --json` each time; finer clock when a CLI start takes most of a second
#   --dir DIR  work directory (default: a new one under $TMPDIR or /tmp)
#
# The tree is the one the integration tests use: Debian's `wordpress` package copied with symlinks resolved,
# or a generated tree of the same shape when that package is not installed (integration-tests/.../Corpus.java).
# Everything is deleted at the end, not between runs: on some disks file creation slows after a mass delete.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/syncthing.sh"
corpus_src="$repo/integration-tests/src/test/java/io/peersync/it/Corpus.java"
runs=1
syncthing=0
script_arg() {
  case "$1" in
    --runs) runs="$2"; arg_words=2 ;;
    --syncthing) syncthing=1; arg_words=1 ;;
    --api-poll) api_poll=1; arg_words=1 ;;
  esac
}
parse_args "$@"

require_tools rsync java awk
if [ "$api_poll" = 1 ]; then require_tools curl; fi
if [ ! -d /usr/share/wordpress ]; then
  echo "note: the wordpress package is not installed (apt-get install wordpress); the generated tree is used instead"
fi
bench_setup
print_load
if [ "$syncthing" = 1 ]; then st_setup; fi
sync_poll_s=0.1
rsync_pid=""
# An rsync daemon left by a failed run would hold its port and its source open; Syncthing instances too.
bench_before_cleanup() {
  if [ -n "$rsync_pid" ]; then kill "$rsync_pid" 2>/dev/null || true; fi
  st_cleanup
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

same_tree() { # a b
  if diff -rq --no-dereference --exclude=.peersync --exclude=.stfolder "$1" "$2" >/dev/null 2>&1; then echo identical; else echo DIFFERENT; fi
}

results=()
for run in $(seq 1 "$runs"); do
  dir="$work/run-$run"
  mkdir -p "$dir"
  echo "== run $run of $runs in $dir"
  java "$corpus_src" "$dir/src" | sed 's/^/   /'
  files="$(find "$dir/src" -type f | wc -l | tr -d ' ')"
  bytes="$(find "$dir/src" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')"

  # rsync through an rsync daemon, as one would between two machines.
  port="$(free_port)"
  cat >"$dir/rsyncd.conf" <<EOF
pid file = $dir/rsyncd.pid
use chroot = no
uid = $(id -u)
gid = $(id -g)
[wordpress]
  path = $dir/src
  read only = yes
EOF
  rsync --daemon --no-detach --address=127.0.0.1 --port="$port" --config="$dir/rsyncd.conf" \
      --log-file="$dir/rsyncd.log" &
  rsync_pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.05; done
  t0="$(now)"
  rsync -a "rsync://127.0.0.1:$port/wordpress/" "$dir/rsync-dest/"
  t1="$(now)"
  kill "$rsync_pid" 2>/dev/null || true
  wait "$rsync_pid" 2>/dev/null || true
  rsync_pid=""
  rsync_s="$(elapsed "$t0" "$t1")"
  echo "   rsync -a over rsync://127.0.0.1: ${rsync_s} s ($(same_tree "$dir/src" "$dir/rsync-dest"))"

  # peersync: A shares a copy of the tree and finishes its initial scan; the clock runs from B joining
  # until B reports the folder in sync with all of A's files.
  cp -a "$dir/src" "$dir/a-folder"
  start_daemon a "$dir/a-home" "$dir/a.log"
  secret="$(psync "$dir/a-home" secret new)"
  s0="$(now)"
  psync "$dir/a-home" folder add "$dir/a-folder" --secret "$secret" >/dev/null
  wait_in_sync "$dir/a-home" "$files" 300
  s1="$(now)"
  start_daemon b "$dir/b-home" "$dir/b.log" "$a_listen"
  t0="$(now)"
  psync "$dir/b-home" folder add "$dir/b-folder" --secret "$secret" >/dev/null
  wait_in_sync "$dir/b-home" "$files" 600
  t1="$(now)"
  polls="$sync_polls"
  peersync_s="$(elapsed "$t0" "$t1")"
  per_poll="$(awk -v s="$peersync_s" -v n="$polls" 'BEGIN { printf "%.2f", s / n }')"
  echo "   peersync initial sync A -> B: ${peersync_s} s ($(same_tree "$dir/src" "$dir/b-folder");" \
       "A's initial scan took $(elapsed "$s0" "$s1") s; $polls status polls, one every ~${per_poll} s)"
  stop_daemons

  ratio="$(awk -v p="$peersync_s" -v r="$rsync_s" 'BEGIN { printf "%.1f", p / r }')"
  result="run $run: $files files, $bytes bytes: peersync ${peersync_s} s, rsync ${rsync_s} s"

  if [ "$syncthing" = 1 ]; then
    # Syncthing, the same way: A (sharing its copy of the tree with B) starts and finishes its initial scan;
    # B starts knowing A but not the folder, and connects; the clock runs from adding the folder to B until
    # B's folder is idle with all of A's files, local and global, and needs nothing.
    cp -a "$dir/src" "$dir/st-a-folder"
    st_init a "$dir/st-a-home"
    st_init b "$dir/st-b-home"
    st_peer a b
    st_peer b a
    st_folder a wordpress "$dir/st-a-folder" 10 b
    st_folder_json b wordpress "$dir/st-b-folder" 10 a >"$dir/st-b-folder.json"
    s0="$(now)"
    st_start a "$dir/st-a.log"
    st_wait_in_sync a wordpress "$files" 300
    s1="$(now)"
    st_start b "$dir/st-b.log"
    st_wait_connected b a 120
    t0="$(now)"
    st_add_folder b "$dir/st-b-folder.json"
    st_wait_in_sync b wordpress "$files" 600
    t1="$(now)"
    syncthing_s="$(elapsed "$t0" "$t1")"
    echo "   syncthing initial sync A -> B: ${syncthing_s} s ($(same_tree "$dir/src" "$dir/st-b-folder");" \
         "A's start and initial scan took $(elapsed "$s0" "$s1") s; $st_polls REST polls)"
    st_stop_all
    st_ratio="$(awk -v p="$peersync_s" -v s="$syncthing_s" 'BEGIN { printf "%.2f", p / s }')"
    result+=", syncthing ${syncthing_s} s; ratio peersync/rsync ${ratio}, peersync/syncthing ${st_ratio}"
  else
    result+=", ratio peersync/rsync ${ratio}"
  fi
  results+=("$result")
done

echo
echo "== initial sync of the WordPress tree on loopback"
printf '%s\n' "${results[@]}"
print_load
