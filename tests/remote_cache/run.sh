#!/usr/bin/env bash
# Remote caching, end to end: a real HTTP cache (nginx with WebDAV PUT, from
# Debian's nginx-light) on 127.0.0.1 only, and two clean clones of this
# commit at different paths, each built with its own output base and no disk
# cache:
#   run 1  the first clone fills the empty cache;
#   run 2  the second clone, with another PATH too, must take every cacheable
#          action from it: its "INFO: N processes: ..." line may list only
#          remote cache hits and internal actions (symlinks, runfiles trees,
#          file writes), nothing run by linux-sandbox, processwrapper-sandbox
#          or local; on a miss it names each action and what differs;
#   run 3  the second clone again with no cache at all: every action
#          executed there must write the bytes run 1 uploaded (training,
#          conversions, TFLM's arena probes, code generation, compiling).
#
#   tests/remote_cache/run.sh            # exits 0 when all three hold
#   KEEP=1 tests/remote_cache/run.sh     # keeps the work folder (logs, execution logs)
#
# Everything it writes (server, clones, output bases) goes in one folder
# under $RULES_TFLM_REMOTE_CACHE_TMP (default $TMPDIR or /tmp), deleted at
# the end, and the server stops with the script. The targets are the
# hello_world pipeline (train, convert, arena probes, the C library, the
# accuracy test) and one ahead-of-time compiled model test, on the host.
# .ci/run runs it after the main tests; the last line says
# "remote cache: PASSED: ..." or "remote cache: FAILED (why)".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
targets=(
  //examples/hello_world:model_data
  //examples/hello_world:model_int8_accuracy_test
  //examples/hello_world:model_int8_aot_test
)
python=/usr/bin/python3

fail() {
  echo "remote cache: FAILED ($*)"
  exit 1
}

command -v nginx >/dev/null || fail "no nginx: run ./setup.sh, which installs Debian's nginx-light"
command -v bazel >/dev/null || fail "no bazel: run ./setup.sh"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "note: $repo has uncommitted changes; this test builds the commit $(git -C "$repo" rev-parse --short HEAD)"
fi

parent=${RULES_TFLM_REMOTE_CACHE_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$parent"
work=$(mktemp -d "$parent/rules_tflm_remote_cache.XXXXXX")
nginx_pid=""
output_bases=()
cleanup() {
  for base in "${output_bases[@]}"; do
    bazel --output_base="$base" shutdown >/dev/null 2>&1 || true
  done
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [ -n "${KEEP:-}" ]; then
    echo "kept $work"
  else
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the cache server: nginx on 127.0.0.1, everything under $work/nginx ----
mkdir -p "$work/nginx/tmp" "$work/cache"
free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
user_line=""
# Started as root, nginx runs its workers as "nobody", who could not write
# the cache folder: keep them as the user running the test.
if [ "$(id -u)" = 0 ]; then user_line="user $(id -un) $(id -gn);"; fi
start_nginx() {
  local port=$1
  cat >"$work/nginx/nginx.conf" <<EOF
# Written by tests/remote_cache/run.sh: Bazel's HTTP cache protocol is GET and
# PUT of /ac/<digest> and /cas/<digest>, which WebDAV's PUT serves as files.
$user_line
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events {
  worker_connections 256;
}
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp/client_body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $work/cache;
    client_max_body_size 0;
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
    }
  }
}
EOF
  nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" &
  nginx_pid=$!
  # Up when a PUT then a GET of a blob round-trips; gone if the port was taken.
  for _ in $(seq 50); do
    if ! kill -0 "$nginx_pid" 2>/dev/null; then
      wait "$nginx_pid" 2>/dev/null || true
      nginx_pid=""
      return 1
    fi
    if "$python" - "$port" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/cas/selftest"
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
direct.open(urllib.request.Request(url, data=b"ok", method="PUT"), timeout=2)
assert direct.open(url, timeout=2).read() == b"ok"
EOF
    sleep 0.1
  done
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
  return 1
}
port=""
for _ in 1 2 3 4 5; do
  candidate=$(free_port)
  if start_nginx "$candidate"; then port=$candidate; break; fi
done
[ -n "$port" ] || { cat "$work/nginx/error.log" 2>/dev/null; fail "nginx did not start"; }
rm -f "$work/cache/cas/selftest"
echo "cache server: nginx on http://127.0.0.1:$port (pid $nginx_pid), store $work/cache"

# --- two clean clones at different paths, each with its own output base ----
# bazel_run N CHECKOUT VERB FLAGS...: one build in its own output base, with
# no disk cache (.bazelrc's would serve the second checkout by itself).
commit=$(git -C "$repo" rev-parse HEAD)
declare -a lines seconds
bazel_run() {
  local n=$1 checkout=$2 verb=$3
  shift 3
  local base="$work/output_base_$n" log="$work/bazel_$n.log" status=0 start
  output_bases+=("$base")
  start=$(date +%s)
  (cd "$checkout" && nice bazel --output_base="$base" "$verb" \
    --disk_cache= \
    --execution_log_json_file="$work/exec_$n.json" \
    --color=no --curses=no \
    "$@" "${targets[@]}") >"$log" 2>&1 || status=$?
  seconds[$n]=$(($(date +%s) - start))
  lines[$n]=$(grep -E '^INFO: [0-9]+ process(es)?: ' "$log" | tail -1 | sed 's/^INFO: //; s/\.$//' || true)
  bazel --output_base="$base" shutdown >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    tail -40 "$log"
    fail "bazel $verb in $checkout exited with $status"
  fi
  echo "run $n: ${seconds[$n]} s, ${lines[$n]:-no processes line}"
}
clone() {
  git clone -q --no-hardlinks "$repo" "$1"
  git -C "$1" checkout -q --detach "$commit"
}

first="$work/first/rules_tflm"
second="$work/second/elsewhere/tflm_rules_clone"
clone "$first"
clone "$second"
remote="--remote_cache=http://127.0.0.1:$port"

echo "== run 1: $first fills the empty cache"
bazel_run 1 "$first" test "$remote"

# The second checkout also has another PATH, as another machine would.
echo "== run 2: $second, another output base and PATH, must hit the cache"
mkdir -p "$work/other_machine/bin"
PATH="$work/other_machine/bin:$PATH" bazel_run 2 "$second" test "$remote"

# --- run 2: only remote cache hits and internal actions --------------------
counts=$(echo "${lines[2]#*: }" | tr ',' '\n' | sed 's/^ *//')
left=$(echo "$counts" | grep -vE '^[0-9]+ (remote cache hit|internal)$' || true)
hits=$(echo "$counts" | grep -E '^[0-9]+ remote cache hit$' | grep -oE '^[0-9]+' || echo 0)
[ -n "${lines[2]}" ] || fail "run 2 printed no 'INFO: N processes' line"
if [ -n "$left" ]; then
  echo "run 2 executed actions itself ($(echo "$left" | paste -sd ',' | sed 's/,/, /g')):"
  "$python" "$here/exec_log.py" misses "$work/exec_1.json" "$work/exec_2.json" || true
  fail "the second checkout missed the cache"
fi
[ "$hits" -gt 0 ] || fail "the second checkout took nothing from the cache"

# --- run 3: executing every action again gives the same bytes --------------
# Keys that match only pay when outputs are reproducible: a rebuild in the
# second checkout without the cache must write what the first one uploaded.
echo "== run 3: $second, no cache at all: outputs equal to run 1's"
bazel_run 3 "$second" build --remote_cache=
"$python" "$here/exec_log.py" compare "$work/exec_1.json" "$work/exec_3.json" ||
  fail "actions wrote different outputs in the two checkouts"

echo "remote cache: PASSED: run 2 took all its $hits cacheable actions from the cache (run 1: ${lines[1]}, ${seconds[1]} s; run 2: ${lines[2]}, ${seconds[2]} s; run 3: ${seconds[3]} s)"
