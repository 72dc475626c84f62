#!/usr/bin/env bash
# Times the initial sync of the WordPress tree between two peersync daemons on loopback, and `rsync -a` of the
# same tree through an rsync daemon on loopback, then prints both times and the ratio peersync/rsync.
#
# usage: bench/initial-sync.sh [--runs N] [--keep] [--rebuild] [--api-poll] [--dir DIR]
#   --runs N   repeat N times, each run into fresh directories (default 1)
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

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/sync-cli/target/peersync.jar"
corpus_src="$repo/integration-tests/src/test/java/io/peersync/it/Corpus.java"
runs=1
keep=0
rebuild=0
api_poll=0
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    --api-poll) api_poll=1; shift ;;
    --dir) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in rsync java awk $([ "$api_poll" = 1 ] && echo curl); do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench needs '$tool' on PATH (apt-get install $tool)" >&2; exit 1; }
done
if [ ! -d /usr/share/wordpress ]; then
  echo "note: the wordpress package is not installed (apt-get install wordpress); the generated tree is used instead"
fi

# The jar as built; the launcher builds it when it is missing (--rebuild: also when sources are newer). The jar
# is then run directly, so the polling loop does not pay for the launcher's freshness check on every call.
if [ ! -f "$jar" ] || [ "$rebuild" = 1 ]; then
  "$repo/peersync" --version >/dev/null
fi
echo "peersync jar: $jar (built $(date -r "$jar" '+%Y-%m-%d %H:%M:%S'))"
cli_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)

work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/peersync-bench.XXXXXX")}"
mkdir -p "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then
    echo "work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# A loopback port nobody listens on (bash's /dev/tcp fails to connect to a free one).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

psync() { local home="$1"; shift; java "${cli_jvm[@]}" -jar "$jar" "$@" --home "$home"; }

# status --json of a node with one folder, squeezed to one line for grep.
status_line() {
  if [ "$api_poll" = 1 ]; then
    curl -fsS -H "Authorization: Bearer $(cat "$1/api-token")" "http://$(cat "$1/api-address")/v1/status" \
        2>/dev/null | tr -d ' \n'
  else
    psync "$1" status --json 2>/dev/null | tr -d ' \n'
  fi
}
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
      psync "$home" status --json >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  eval "${name}_listen=127.0.0.1:$listen"
}

stop_daemons() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

# Polls every 100 ms until the node's folder is in sync with `want` files, local and global.
wait_in_sync() { # home want timeout-seconds
  local home="$1" want="$2" deadline=$((SECONDS + $3)) line polls=0
  while :; do
    line="$(status_line "$home")"
    polls=$((polls + 1))
    if [ "$(field "$line" inSync)" = true ] && [ "$(field "$line" globalFiles)" = "$want" ] \
        && [ "$(field "$line" localFiles)" = "$want" ]; then
      echo "$polls"
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "timed out waiting for $home to be in sync with $want files; last status: $line" >&2
      return 1
    fi
    sleep 0.1
  done
}

same_tree() { # a b
  if diff -rq --no-dereference --exclude=.peersync "$1" "$2" >/dev/null 2>&1; then echo identical; else echo DIFFERENT; fi
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
  rsync_s="$(elapsed "$t0" "$t1")"
  echo "   rsync -a over rsync://127.0.0.1: ${rsync_s} s ($(same_tree "$dir/src" "$dir/rsync-dest"))"

  # peersync: A shares a copy of the tree and finishes its initial scan; the clock runs from B joining
  # until B reports the folder in sync with all of A's files.
  cp -a "$dir/src" "$dir/a-folder"
  start_daemon a "$dir/a-home" "$dir/a.log"
  secret="$(psync "$dir/a-home" secret new)"
  s0="$(now)"
  psync "$dir/a-home" folder add "$dir/a-folder" --secret "$secret" >/dev/null
  wait_in_sync "$dir/a-home" "$files" 300 >/dev/null
  s1="$(now)"
  start_daemon b "$dir/b-home" "$dir/b.log" "$a_listen"
  t0="$(now)"
  psync "$dir/b-home" folder add "$dir/b-folder" --secret "$secret" >/dev/null
  polls="$(wait_in_sync "$dir/b-home" "$files" 600)"
  t1="$(now)"
  peersync_s="$(elapsed "$t0" "$t1")"
  per_poll="$(awk -v s="$peersync_s" -v n="$polls" 'BEGIN { printf "%.2f", s / n }')"
  echo "   peersync initial sync A -> B: ${peersync_s} s ($(same_tree "$dir/src" "$dir/b-folder");" \
       "A's initial scan took $(elapsed "$s0" "$s1") s; $polls status polls, one every ~${per_poll} s)"
  stop_daemons

  ratio="$(awk -v p="$peersync_s" -v r="$rsync_s" 'BEGIN { printf "%.1f", p / r }')"
  results+=("run $run: $files files, $bytes bytes: peersync ${peersync_s} s, rsync ${rsync_s} s, ratio peersync/rsync ${ratio}")
done

echo
echo "== initial sync of the WordPress tree on loopback"
printf '%s\n' "${results[@]}"
