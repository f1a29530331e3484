#!/usr/bin/env bash
# Checks deploy/config/server.flags against the server that will read it:
#  - absl flagfile syntax: blank lines, whole-line '#' comments and --name=value lines only, with
#    nothing after a value (absl would make a trailing note part of the value);
#  - the server's own parser accepts the file (names, types), and the commented-out alternatives too;
#  - every flag the server defines is in the file (set, or as a commented alternative) and in
#    deploy/README.md, except the ports files that only tests and scripts use.
# Flags announced but not yet defined by this build (PENDING below) are parsed with --undefok, so
# only their syntax is checked; once the server defines one it is checked like any other.
#   flagfile_test.sh DEPLOY_DIR SERVER_BIN
set -euo pipefail
deploy=${1:?usage: flagfile_test.sh DEPLOY_DIR SERVER_BIN}
server=${2:?usage: flagfile_test.sh DEPLOY_DIR SERVER_BIN}
flags="$deploy/config/server.flags"
readme="$deploy/README.md"
PENDING=()
NOT_FOR_OPERATORS=(port_file http_port_file admin_port_file metrics_port_file)
ABSL_OWN=(flagfile fromenv tryfromenv undefok)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
in_list() { local x=$1; shift; local y; for y in "$@"; do [ "$x" = "$y" ] && return 0; done; return 1; }

# 1. Syntax, line by line.
n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  stripped=${line#"${line%%[![:space:]]*}"}
  [ -z "$stripped" ] && continue
  [ "${stripped:0:1}" = "#" ] && continue
  [[ "$line" =~ ^--[a-z0-9_]+=[^[:space:]]*$ ]] ||
    fail "$flags:$n: not a --name=value line with nothing after the value: $line"
done < "$flags"

# Names set, and names in commented-out alternatives ("# --name=value").
sed -n 's/^--\([a-z0-9_]*\)=.*/\1/p' "$flags" | sort -u > "$tmp/set"
sed -n 's/^#[[:space:]]*--\([a-z0-9_]*\)=.*/\1/p' "$flags" | sort -u > "$tmp/commented"
sort -u "$tmp/set" "$tmp/commented" > "$tmp/named"

# 2. The server's parser. --helpshort makes it stop right after parsing; any problem with the
# file is printed as "ERROR: ...".
{ "$server" --helpfull 2>&1 || true; } | sed -n 's/^    --\([a-z0-9_]*\) .*/\1/p' | sort -u > "$tmp/all"
[ -s "$tmp/all" ] || fail "$server --helpfull listed no flags"
: > "$tmp/defined"
while read -r f; do in_list "$f" "${ABSL_OWN[@]}" || echo "$f" >> "$tmp/defined"; done < "$tmp/all"
undefok=()
while read -r f; do
  grep -qx "$f" "$tmp/defined" && continue
  if [ ${#PENDING[@]} -gt 0 ] && in_list "$f" "${PENDING[@]}"; then
    undefok+=("$f")
  else
    fail "--$f is in $flags but $server does not define it"
  fi
done < "$tmp/named"
[ ${#undefok[@]} -gt 0 ] &&
  echo "not defined by this build yet (syntax checked only): ${undefok[*]}"
undefok_arg=$(IFS=,; echo "${undefok[*]:-}")
sed 's/^#[[:space:]]*\(--[a-z0-9_]*=\)/\1/' "$flags" > "$tmp/uncommented.flags"
for f in "$flags" "$tmp/uncommented.flags"; do
  "$server" --flagfile="$f" ${undefok_arg:+--undefok="$undefok_arg"} --helpshort \
    > "$tmp/parse.out" 2>&1 || true
  if grep -q "ERROR" "$tmp/parse.out"; then
    grep "ERROR" "$tmp/parse.out" >&2
    fail "the server's parser rejects $f (commented lines included: $([ "$f" = "$flags" ] && echo no || echo yes))"
  fi
done

# 3. Nothing an operator sets is missing from the file or from the README.
{ cat "$tmp/defined"; [ ${#PENDING[@]} -eq 0 ] || printf '%s\n' "${PENDING[@]}"; } | sort -u > "$tmp/known"
while read -r f; do
  in_list "$f" "${NOT_FOR_OPERATORS[@]}" && continue
  grep -qx "$f" "$tmp/named" || fail "--$f (defined by the server) is not in $flags"
  grep -q -- "--$f\b" "$readme" || fail "--$f is not documented in $readme"
done < "$tmp/known"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "$flags: valid absl flagfile; $(wc -l < "$tmp/set") flags set, $(wc -l < "$tmp/commented") commented alternatives; every server flag present and documented"
