#!/usr/bin/env bash
# Checks the systemd units in deploy/systemd with `systemd-analyze verify`, on copies whose
# ExecStart= points at the binaries just built (verify fails on a missing executable), and checks
# that the sandbox and stop settings the deployment relies on are still there.
#   systemd_verify_test.sh DEPLOY_DIR SERVER_BIN INDEX_BIN
# Exits 77 (skipped) when systemd-analyze is not installed (Debian: apt-get install systemd).
set -euo pipefail
deploy=${1:?usage: systemd_verify_test.sh DEPLOY_DIR SERVER_BIN INDEX_BIN}
server=${2:?usage: systemd_verify_test.sh DEPLOY_DIR SERVER_BIN INDEX_BIN}
index=${3:?usage: systemd_verify_test.sh DEPLOY_DIR SERVER_BIN INDEX_BIN}
analyze=$(command -v systemd-analyze || true)
if [ -z "$analyze" ]; then
  echo "systemd-analyze is not installed: skipping the check of $deploy/systemd" >&2
  exit 77
fi
for bin in "$server" "$index"; do
  [ -x "$bin" ] || { echo "FAIL: $bin is not an executable (build it first)" >&2; exit 1; }
done
server=$(realpath "$server")  # ExecStart= needs absolute paths
index=$(realpath "$index")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

units=(patientqa.service patientqa-index.service patientqa-index.timer)
for unit in "${units[@]}"; do
  [ -f "$deploy/systemd/$unit" ] || { fail "$deploy/systemd/$unit is missing"; continue; }
  sed -e "s#/usr/local/bin/patientqa-server#$server#g" \
      -e "s#/usr/local/bin/patientqa-index#$index#g" "$deploy/systemd/$unit" > "$tmp/$unit"
done
[ "$failures" -eq 0 ] || exit 1
# The rewrite must have reached ExecStart=, or verify would be checking the wrong thing.
grep -q "^ExecStart=$server " "$tmp/patientqa.service" || fail "patientqa.service ExecStart= not rewritten"
grep -q "^ExecStart=$index " "$tmp/patientqa-index.service" || fail "patientqa-index.service ExecStart= not rewritten"

# verify exits 0 on some problems (an unknown or misspelt key is only a warning), so any output
# at all is a failure too.
rc=0
(cd "$tmp" && SYSTEMD_LOG_COLOR=0 "$analyze" verify --man=no "${units[@]}") > "$tmp/verify.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/verify.out" ]; then
  cat "$tmp/verify.out" >&2
  fail "systemd-analyze verify exited $rc with the output above"
fi

# The sandbox: each of these lines must be present as written.
required_server=(
  "DynamicUser=yes" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "PrivateDevices=yes"
  "NoNewPrivileges=yes" "CapabilityBoundingSet=" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"
  "SystemCallFilter=@system-service" "MemoryDenyWriteExecute=yes" "LockPersonality=yes"
  "RestrictNamespaces=yes" "ProtectKernelTunables=yes" "ProtectKernelModules=yes"
  "ProtectKernelLogs=yes" "StateDirectory=patientqa" "ReadOnlyPaths=/usr/local/share/patientqa"
  "Restart=on-failure" "KillSignal=SIGTERM" 'ExecReload=/bin/kill -HUP $MAINPID'
  "ExecStart=/usr/local/bin/patientqa-server --flagfile=/etc/patientqa/server.flags")
for line in "${required_server[@]}"; do
  grep -qxF -- "$line" "$deploy/systemd/patientqa.service" || fail "patientqa.service lacks '$line'"
done
grep -qE '^LimitNOFILE=[0-9]+$' "$deploy/systemd/patientqa.service" || fail "patientqa.service lacks LimitNOFILE="
for line in "DynamicUser=yes" "User=patientqa" "StateDirectory=patientqa" "ProtectSystem=strict" \
            "NoNewPrivileges=yes" "CapabilityBoundingSet=" "Type=oneshot"; do
  grep -qxF -- "$line" "$deploy/systemd/patientqa-index.service" || fail "patientqa-index.service lacks '$line'"
done
# Both units must name the same dynamic user, or the index would belong to someone else.
grep -qxF "User=patientqa" "$deploy/systemd/patientqa.service" || fail "patientqa.service lacks 'User=patientqa'"

# systemd must wait longer than the server's drain plus shutdown grace (server.flags) before
# it sends SIGKILL. absl's defaults apply to flags the flagfile does not set.
flags="$deploy/config/server.flags"
drain_ms=$(sed -n 's/^--drain_ms=//p' "$flags" | tail -1)
grace_ms=$(sed -n 's/^--shutdown_grace_ms=//p' "$flags" | tail -1)
stop_s=$(sed -n 's/^TimeoutStopSec=//p' "$deploy/systemd/patientqa.service" | tail -1)
if ! [[ "$stop_s" =~ ^[0-9]+$ ]]; then
  fail "patientqa.service: TimeoutStopSec must be whole seconds, got '$stop_s'"
elif [ $((stop_s * 1000)) -le $(( ${drain_ms:-0} + ${grace_ms:-5000} )) ]; then
  fail "TimeoutStopSec=$stop_s s is not above --drain_ms=${drain_ms:-0} + --shutdown_grace_ms=${grace_ms:-5000}"
fi

# The paths in server.flags must be ones the sandbox lets the server use: secrets as credentials
# the unit loads, the index in its StateDirectory, the access log in its LogsDirectory, the
# library and widget under its ReadOnlyPaths; and the index unit must build what the server reads.
flag() { sed -n "s/^--$1=//p" "$flags" | tail -1; }
svc="$deploy/systemd/patientqa.service"
while IFS='=' read -r name value; do
  cred=${value#/run/credentials/patientqa.service/}
  grep -q "^LoadCredential=$cred:" "$svc" ||
    fail "server.flags $name=$value, but patientqa.service has no LoadCredential=$cred:..."
done < <(grep -E '^--[a-z_]+=/run/credentials/' "$flags")
grep -E '^--[a-z_]+=/run/credentials/' "$flags" | grep -vq '/run/credentials/patientqa.service/' &&
  fail "server.flags names credentials of another unit than patientqa.service"
case "$(flag index)" in /var/lib/patientqa/*) ;; *) fail "--index=$(flag index) is outside StateDirectory /var/lib/patientqa";; esac
case "$(flag access_log)" in
  /*) case "$(flag access_log)" in /var/log/patientqa/*) ;; *) fail "--access_log=$(flag access_log) is outside LogsDirectory /var/log/patientqa";; esac
      grep -qxF "LogsDirectory=patientqa" "$svc" || fail "patientqa.service lacks LogsDirectory=patientqa";;
esac
ro=$(sed -n 's/^ReadOnlyPaths=-\{0,1\}//p' "$svc")
for f in corpus web_root; do
  v=$(flag $f)
  [ -z "$v" ] && continue
  ok=0
  for p in $ro; do case "$v/" in "$p"/*) ok=1;; esac; done
  [ $ok -eq 1 ] || fail "--$f=$v is not under patientqa.service's ReadOnlyPaths ($ro)"
done
idx_exec=$(sed -n 's/^ExecStart=//p' "$deploy/systemd/patientqa-index.service")
[[ " $idx_exec " == *" --out=$(flag index) "* ]] ||
  fail "patientqa-index.service does not write --out=$(flag index), the index server.flags serves"
[[ " $idx_exec " == *" --corpus=$(flag corpus) "* ]] ||
  fail "patientqa-index.service does not index --corpus=$(flag corpus), the library server.flags names"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "systemd-analyze verify: ${units[*]} are valid; sandbox, stop timeout and server.flags paths checked"
