# shellcheck shell=bash
# Syncthing as a baseline for the bench scripts (`--syncthing`); sourced after lib.sh:
#   source "$(dirname "${BASH_SOURCE[0]}")/syncthing.sh"
#
# Instances are named (a, b, ...); each has a fresh home (key, certificate, config.xml, database) made by
# `syncthing generate`, a sync port and a GUI/REST port, both on 127.0.0.1 only, and an API key set here. The
# config is locked down BEFORE the first start: no global or local discovery, no relays, no NAT traversal (so no
# STUN either), no usage reporting, upgrades or crash reports, no browser, no low-priority (nice) self-demotion
# (the daemons it is compared with run at normal priority), peers dialled at tcp://127.0.0.1:PORT only. When
# `ip netns` works (root), the instances also run in a network namespace of their own that holds nothing but
# lo, so even a setting overlooked here could not reach the LAN or the internet; their REST API is then asked
# from inside that namespace too.
#
# What it gives a script, in the order a script uses it:
#   st_setup                         requires syncthing/curl/python3, creates the namespace (else says why not)
#   st_init NAME HOME                generates NAME's home, locked down; sets NAME's device id and ports
#   st_peer NAME OTHER               NAME knows OTHER's device at tcp://127.0.0.1:OTHER's port
#   st_folder NAME ID PATH DELAY OTHER...  a send-receive folder in NAME's config, shared with OTHER...,
#                                    watcher delay fsWatcherDelayS=DELAY (before the start)
#   st_folder_json NAME ID PATH DELAY OTHER...  the same folder as JSON, for st_add_folder (REST, while running)
#   st_start NAME LOG                starts NAME (--no-browser --no-restart) and waits until its REST API answers
#   st_add_folder NAME JSON-FILE     POST /rest/config/folders
#   st_wait_connected NAME OTHER T   until NAME reports a connection to OTHER
#   st_wait_in_sync NAME ID WANT T   until NAME's folder ID is idle with WANT files, local and global, none needed
#   st_stop NAME, st_stop_all
#   st_cleanup                       stops every instance and removes the namespace; call it from
#                                    bench_before_cleanup (lib.sh's EXIT trap)
# Polls use lib.sh's sync_poll_s pause; st_polls holds how many the last st_wait_in_sync took.

declare -gA st_home=() st_id=() st_port=() st_gui=() st_key=() st_pid=()
st_ns=""          # the network namespace the instances run in, when there is one
st_polls=0
st_used_ports=" "

st_setup() {
  require_tools syncthing curl python3
  echo "syncthing: $(syncthing --version | cut -d' ' -f1-2)"
  local ns="peersync-bench-st-$$"
  if [ "$(id -u)" = 0 ] && ip netns add "$ns" 2>/dev/null; then
    st_ns="$ns"
    st_in_ns=(ip netns exec "$st_ns")
    st_exec ip link set lo up
    echo "syncthing instances run in network namespace $st_ns (loopback only)"
  else
    echo "note: no network namespace (needs root and 'ip netns'); syncthing runs in this one, limited by its config"
  fi
}

# Runs a command in the instances' namespace (or here, without one). A simple command, not a function, so that
# `"${st_in_ns[@]}" cmd &` gives cmd's own pid in $! (ip netns exec execs the command).
st_in_ns=()
st_exec() { "${st_in_ns[@]}" "$@"; }

# A loopback port free here and not handed out before (a fresh namespace has nothing listening anyway).
st_free_port() {
  local port
  while :; do
    port="$(free_port)"
    case "$st_used_ports" in *" $port "*) continue ;; esac
    st_used_ports+="$port "
    echo "$port"
    return
  done
}

# Edits a home's config.xml: st_config HOME lockdown PORT GUI-PORT API-KEY | device ID NAME PORT |
# folder ID PATH DELAY DEVICE-ID... | folder-json ID PATH DELAY DEVICE-ID... (prints the folder as JSON).
st_config() {
  python3 - "$@" <<'EOF'
import copy, json, sys
import xml.etree.ElementTree as ET

home, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
path = home + "/config.xml"
tree = ET.parse(path)
root = tree.getroot()

def set_text(parent, tag, value):
    el = parent.find(tag)
    if el is None:
        el = ET.SubElement(parent, tag)
    el.text = str(value)

def folder_element(fid, fpath, delay, devices):
    folder = copy.deepcopy(root.find("defaults/folder"))
    folder.set("id", fid)
    folder.set("label", fid)
    folder.set("path", fpath)
    folder.set("type", "sendreceive")
    folder.set("fsWatcherEnabled", "true")
    folder.set("fsWatcherDelayS", str(delay))
    for dev in folder.findall("device"):
        folder.remove(dev)
    for dev_id in devices:
        dev = ET.SubElement(folder, "device", {"id": dev_id, "introducedBy": ""})
        ET.SubElement(dev, "encryptionPassword").text = ""
    return folder

if op == "lockdown":
    port, gui_port, api_key = args
    opts = root.find("options")
    for el in opts.findall("listenAddress"):
        opts.remove(el)
    ET.SubElement(opts, "listenAddress").text = "tcp://127.0.0.1:%s" % port
    for tag, value in [("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"),
                       ("relaysEnabled", "false"), ("natEnabled", "false"), ("urAccepted", "-1"),
                       ("urSeen", "3"), ("autoUpgradeIntervalH", "0"), ("crashReportingEnabled", "false"),
                       ("startBrowser", "false"), ("restartOnWakeup", "false"),
                       ("announceLANAddresses", "false"), ("setLowPriority", "false")]:
        set_text(opts, tag, value)
    gui = root.find("gui")
    gui.set("enabled", "true")
    gui.set("tls", "false")
    set_text(gui, "address", "127.0.0.1:%s" % gui_port)
    set_text(gui, "apikey", api_key)
    # Our own device entry: no addresses to announce.
    for dev in root.findall("device"):
        for el in dev.findall("address"):
            el.text = "dynamic"
elif op == "device":
    dev_id, name, port = args
    dev = copy.deepcopy(root.find("defaults/device"))
    dev.set("id", dev_id)
    dev.set("name", name)
    for el in dev.findall("address"):
        dev.remove(el)
    addr = ET.Element("address")
    addr.text = "tcp://127.0.0.1:%s" % port
    dev.insert(0, addr)
    root.insert(list(root).index(root.find("gui")), dev)
elif op == "folder":
    fid, fpath, delay, devices = args[0], args[1], args[2], args[3:]
    root.insert(0, folder_element(fid, fpath, delay, devices))
elif op == "folder-json":
    fid, fpath, delay, devices = args[0], args[1], args[2], args[3:]
    print(json.dumps({"id": fid, "label": fid, "path": fpath, "type": "sendreceive",
                      "fsWatcherEnabled": True, "fsWatcherDelayS": int(delay),
                      "devices": [{"deviceID": d} for d in devices]}))
    sys.exit(0)
else:
    sys.exit("st_config: unknown operation " + op)
tree.write(path)
EOF
}

st_init() { # name home
  local name="$1" home="$2" out
  mkdir -p "$home"
  st_home[$name]="$home"
  st_port[$name]="$(st_free_port)"
  st_gui[$name]="$(st_free_port)"
  st_key[$name]="bench-$name-$RANDOM$RANDOM$RANDOM"
  out="$(st_exec env STNODEFAULTFOLDER=1 syncthing generate --home "$home" --no-default-folder \
      --skip-port-probing 2>&1)"
  st_id[$name]="$(sed -n 's/.*Device ID: *\([A-Z0-9-]*\).*/\1/p' <<<"$out" | head -n 1)"
  if [ -z "${st_id[$name]}" ]; then echo "syncthing generate gave no device id: $out" >&2; exit 1; fi
  st_config "$home" lockdown "${st_port[$name]}" "${st_gui[$name]}" "${st_key[$name]}"
}

st_peer() { # name other
  st_config "${st_home[$1]}" device "${st_id[$2]}" "$2" "${st_port[$2]}"
}

st_devices() { # name other... -> device ids
  local n
  for n in "$@"; do echo "${st_id[$n]}"; done
}

st_folder() { # name id path delay other...
  local name="$1" fid="$2" path="$3" delay="$4"
  shift 4
  mkdir -p "$path"
  # shellcheck disable=SC2046 # device ids have no spaces
  st_config "${st_home[$name]}" folder "$fid" "$path" "$delay" $(st_devices "$name" "$@")
}

st_folder_json() { # name id path delay other...
  local name="$1" fid="$2" path="$3" delay="$4"
  shift 4
  # shellcheck disable=SC2046 # device ids have no spaces
  st_config "${st_home[$name]}" folder-json "$fid" "$path" "$delay" $(st_devices "$name" "$@")
}

# curl of NAME's REST API: st_api NAME PATH [curl option...]; the body on stdout, squeezed to one line.
st_api() {
  local name="$1" path="$2"
  shift 2
  st_exec curl -fsS -m 10 -H "X-API-Key: ${st_key[$name]}" "$@" "http://127.0.0.1:${st_gui[$name]}$path" \
      2>/dev/null | tr -d ' \n'
}

st_start() { # name log
  local name="$1" log="$2"
  "${st_in_ns[@]}" env STNODEFAULTFOLDER=1 STNOUPGRADE=1 syncthing serve --home "${st_home[$name]}" --no-browser \
      --no-restart --no-upgrade --no-default-folder --logflags=3 >"$log" 2>&1 &
  st_pid[$name]=$!
  local deadline=$((SECONDS + 60))
  until [ -n "$(st_api "$name" /rest/system/ping)" ]; do
    if [ $SECONDS -gt $deadline ] || ! kill -0 "${st_pid[$name]}" 2>/dev/null; then
      echo "syncthing $name did not come up within 60 s or exited; its log ($log):" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
}

st_add_folder() { # name json-file
  st_api "$1" /rest/config/folders -X POST -H 'Content-Type: application/json' --data-binary "@$2" >/dev/null
}

st_wait_connected() { # name other timeout-seconds
  local deadline=$((SECONDS + $3)) line
  while :; do
    line="$(st_api "$1" /rest/system/connections)"
    if grep -q "\"${st_id[$2]}\":{[^}]*\"connected\":true" <<<"$line"; then return 0; fi
    if [ $SECONDS -gt $deadline ]; then
      echo "timed out waiting for syncthing $1 to connect to $2; last: $line" >&2
      return 1
    fi
    sleep 0.05
  done
}

# A string field of a squeezed JSON line (lib.sh's `field` reads numbers and booleans).
st_sfield() { sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" <<<"$1" | head -n 1; }

# Polls NAME's /rest/db/status every $sync_poll_s seconds until folder ID is idle, holds `want` files locally
# and globally and needs nothing; leaves the number of polls in st_polls.
st_wait_in_sync() { # name folder-id want timeout-seconds
  local name="$1" fid="$2" want="$3" deadline=$((SECONDS + $4)) line
  st_polls=0
  while :; do
    line="$(st_api "$name" "/rest/db/status?folder=$fid")"
    st_polls=$((st_polls + 1))
    if [ "$(st_sfield "$line" state)" = idle ] && [ "$(field "$line" needTotalItems)" = 0 ] \
        && [ "$(field "$line" globalFiles)" = "$want" ] && [ "$(field "$line" localFiles)" = "$want" ]; then
      return 0
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "timed out waiting for syncthing $name's folder $fid to be in sync with $want files; last: $line" >&2
      return 1
    fi
    # shellcheck disable=SC2154 # lib.sh's
    sleep "$sync_poll_s"
  done
}

st_stop() { # name
  local pid="${st_pid[$1]:-}"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "st_pid[$1]"
}

st_stop_all() {
  local name
  for name in "${!st_pid[@]}"; do st_stop "$name"; done
}

st_cleanup() {
  st_stop_all
  if [ -n "$st_ns" ]; then ip netns del "$st_ns" 2>/dev/null || true; st_ns=""; st_in_ns=(); fi
}
