# Helpers the command-line tests share: a temporary folder $tmp (removed
# at exit), fail, and expect_rc. Sourced at the top of a test script.
set -uo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect_rc() {  # expect_rc CODE command...: runs it, output in $tmp/out and $tmp/err
  local want="$1"; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [[ $rc -eq $want ]] || fail "expected exit $want, got $rc: ${*:1:4} :: $(head -c 600 "$tmp/err")"
  [[ $rc -eq $want ]]
}
