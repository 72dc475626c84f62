# Shared by the bench scripts; each one sources it right after `set -euo pipefail`:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# What it gives a script, in the order a script uses it:
#   script_arg        defined by the script (optional): handles its own options; see parse_args
#   parse_args "$@"   --keep, --rebuild, --dir DIR, -h/--help (the script's header comment) and unknown options
#   require_tools T.. exits with a hint when a tool is not on PATH
#   bench_setup       builds the jar when needed, prints which jar, creates the work directory, sets the EXIT trap
#   print_load        prints the load average and the number of cores
#   start_daemon, start_pair, stop_daemons, psync, status_line, field, wait_in_sync, free_port, loadavg
#   bench_before_cleanup  defined by the script (optional): run on exit before the daemons are stopped

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/sync-cli/target/peersync.jar"
keep=0
rebuild=0
work=""
api_poll=0       # initial-sync.sh --api-poll: status_line asks the daemon's HTTP API instead of the CLI
sync_poll_s=0.2  # wait_in_sync's pause between two status polls
sync_polls=0     # how many status polls the last wait_in_sync took
pids=()          # the daemons started by start_daemon

# The script's header comment (from line 2 up to the first line that is not a comment), without the "# ".
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; }

# A script with options of its own defines `script_arg`, which gets the remaining words and, for an option it
# knows, sets arg_words to the number of words it took (the option and its value, if any).
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --keep) keep=1; shift ;;
      --rebuild) rebuild=1; shift ;;
      --dir) work="$2"; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *)
        arg_words=0
        if declare -F script_arg >/dev/null; then script_arg "$@"; fi
        if [ "$arg_words" = 0 ]; then echo "unknown argument: $1 (see --help)" >&2; exit 2; fi
        shift "$arg_words"
        ;;
    esac
  done
}

require_tools() { # tool...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench needs '$tool' on PATH (apt-get install $tool)" >&2; exit 1; }
  done
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
print_load() { echo "load average: $(loadavg) on $(nproc) cores"; }

# The jar as built; the launcher builds it when it is missing (--rebuild: also when sources are newer). The jar
# is then run directly, so the polling loop does not pay for the launcher's freshness check on every call.
# Then the work directory, removed on exit (unless --keep) after the daemons are stopped.
bench_setup() {
  if [ ! -f "$jar" ] || [ "$rebuild" = 1 ]; then
    "$repo/peersync" --version >/dev/null
  fi
  echo "peersync jar: $jar (built $(date -r "$jar" '+%Y-%m-%d %H:%M:%S'))"
  cli_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
  work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/peersync-bench.XXXXXX")}"
  mkdir -p "$work"
  trap cleanup EXIT
}

cleanup() {
  if declare -F bench_before_cleanup >/dev/null; then bench_before_cleanup; fi
  stop_daemons
  if [ "$keep" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}

stop_daemons() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

# A loopback port nobody listens on (bash's /dev/tcp fails to connect to a free one).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
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

# Starts a daemon on free loopback ports without discovery, waits until its API answers and sets
# ${name}_listen to its listen address.
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

# Daemons a (home $work/a-home, log $work/a.log) and b (peer of a), sharing a_dir on A as b_dir on B.
start_pair() { # a_dir b_dir
  local secret
  start_daemon a "$work/a-home" "$work/a.log"
  start_daemon b "$work/b-home" "$work/b.log" "$a_listen"
  secret="$(psync "$work/a-home" secret new)"
  psync "$work/a-home" folder add "$1" --secret "$secret" >/dev/null
  psync "$work/b-home" folder add "$2" --secret "$secret" >/dev/null
}

# Polls every $sync_poll_s seconds until the node's folder is in sync with `want` files, local and global;
# leaves the number of polls in sync_polls.
wait_in_sync() { # home want timeout-seconds
  local home="$1" want="$2" deadline=$((SECONDS + $3)) line
  sync_polls=0
  while :; do
    line="$(status_line "$home")"
    sync_polls=$((sync_polls + 1))
    if [ "$(field "$line" inSync)" = true ] && [ "$(field "$line" globalFiles)" = "$want" ] \
        && [ "$(field "$line" localFiles)" = "$want" ]; then
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "timed out waiting for $home to be in sync with $want files; last status: $line" >&2
      return 1
    fi
    sleep "$sync_poll_s"
  done
}
