#!/usr/bin/env bash
# Control characters in user names and in what the commands print:
# - a user name (--user, $SKEMA_USER, $USER) with control characters, bidi
#   controls, bytes that are not UTF-8 or more than 64 bytes is a usage
#   error (exit 2) naming where it came from, showing it escaped, writing
#   nothing; every command that acts as a user refuses it;
# - rows written behind Skema's back (sqlite3) with ESC, BEL, CR, newline,
#   DEL, C1 and bidi controls in the user, reason, values and times are
#   printed by `audit show` and `records list` with those escaped: no byte
#   below 0x20 but the line breaks, no DEL, no C1, no bidi control reaches
#   the terminal; --json escapes control characters as JSON does; a plugin
#   file's name in `plugins list` likewise.
# Usage: bash names_display.sh SKEMA_BINARY SOURCE_DIR
set -uo pipefail
skema="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
export SKEMA_USER=tester
# Bytes that must not reach a terminal: C0 but \n, DEL, C1 (as UTF-8), U+061C,
# U+200E/F, U+2028/9, U+202A-E, U+2066-9.
hidden='[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]'
has_hidden() { LC_ALL=C grep -qaP "$hidden" "$1"; }

cat >"$tmp/visit.json" <<'JSON'
{
  "format": "skema-form/1", "id": "test.visit", "version": 1, "languages": ["en"],
  "title": {"en": "Visit"},
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}}
  ],
  "choices": {"offices": [{"name": "cph", "label": {"en": "Copenhagen"}}]}
}
JSON
ws="$tmp/w.skema"
"$skema" init "$ws" >/dev/null || fail "init"
"$skema" forms publish "$ws" "$tmp/visit.json" >/dev/null || fail "publish"
id=$("$skema" records add "$ws" test.visit '{"date": "2024-05-01", "office": "cph"}') || fail "add"
audit_rows() { sqlite3 "$ws" "SELECT count(*) FROM audit"; }
rows_before=$(audit_rows)

# --- names refused, wherever they come from ---
refused() {  # refused EXPECTED_STDERR_LINE command...
  local want="$1"; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [[ $rc -eq 2 ]] || fail "expected exit 2, got $rc: $* :: $(cat "$tmp/err")"
  grep -qxF -- "skema: $want" "$tmp/err" || fail "expected '$want', got: $(cat "$tmp/err")"
  has_hidden "$tmp/err" && fail "the refusal printed the name unescaped: $(cat -v "$tmp/err")"
}
edit=("$skema" records edit "$ws" "$id" '{"notes": "x"}' --reason "typo")
refused '--user: the user name "eve\x1b[31m" contains the control character U+001B; give another with --user NAME' \
  "${edit[@]}" --user $'eve\e[31m'
refused '$SKEMA_USER: the user name "eve\n#2 root" contains the control character U+000A; give another with --user NAME' \
  env SKEMA_USER=$'eve\n#2 root' "${edit[@]}"
refused '$USER: the user name "eve\u202etxt" contains the control character U+202E; give another with --user NAME' \
  env -u SKEMA_USER USER="$(printf 'eve\xe2\x80\xaetxt')" "${edit[@]}"
refused '$USER: the user name "eve\u009b" contains the control character U+009B; give another with --user NAME' \
  env -u SKEMA_USER USER="$(printf 'eve\xc2\x9b')" "${edit[@]}"
refused '--user: the user name "eve\xff" is not valid UTF-8 (byte 4); give another with --user NAME' \
  "${edit[@]}" --user "$(printf 'eve\xff')"
long=$(printf 'a%.0s' {1..65})
refused "--user: the user name \"$long\" is 65 bytes long (at most 64); give another with --user NAME" \
  "${edit[@]}" --user "$long"
# every command that acts as someone
bad=$'eve\a'
want='--user: the user name "eve\x07" contains the control character U+0007; give another with --user NAME'
printf 'date,office\n2024-05-02,cph\n' >"$tmp/rows.csv"
refused "$want" "$skema" records add "$ws" test.visit '{"date": "2024-05-01", "office": "cph"}' --user "$bad"
refused "$want" "$skema" records delete "$ws" "$id" --reason "duplicate" --user "$bad"
refused "$want" "$skema" forms publish "$ws" "$tmp/visit.json" --user "$bad"
refused "$want" "$skema" import "$ws" test.visit "$tmp/rows.csv" --user "$bad"
refused "$want" "$skema" report "$ws" test.visit --freq office --save r --user "$bad"
refused "$want" "$skema" migrate "$ws" test.visit --to 1 --user "$bad"
refused "$want" "$skema" demo "$tmp/demo.skema" --records 5 --user "$bad"
[[ -e "$tmp/demo.skema" ]] && fail "demo created a workspace for a refused user"
[[ "$(audit_rows)" == "$rows_before" ]] || fail "a refused user changed the audit log"
[[ "$(sqlite3 "$ws" "SELECT count(*) FROM saved_reports")" == 0 ]] || fail "a report was saved by a refused user"
# a good name with Danish letters is taken as it is
"$skema" records edit "$ws" "$id" '{"notes": "y"}' --reason "typo" --user "Søren Ø" >/dev/null || fail "a plain name was refused"
[[ "$(sqlite3 "$ws" "SELECT updated_by FROM records WHERE id='$id'")" == "Søren Ø" ]] || fail "the name was not recorded"

# --- stored text with control characters, written behind Skema's back ---
# (the store refuses such names now; sqlite3 writes them as an older or a
# tampering program could). The audit log takes no UPDATE, but an INSERT.
sqlite3 "$ws" "INSERT INTO audit(at, user, action, record_id, form_id, form_version, revision, field,
    old_value, new_value, reason, prev_hash, hash)
  VALUES('2024-06-01T10:00:00Z' || char(27) || '[8m', 'eve' || char(27) || '[2J' || char(10) || '#99 forged',
    'edit', '$id', 'test.visit', 1, 9, 'notes', '\"y\"', '\"a' || char(27) || ']0;owned' || char(7) || '\"',
    'why' || char(13) || 'fine' || char(127) || char(155) || char(8238) || char(8232) || char(8295), 'x', 'y')" ||
  fail "could not insert the crafted audit row"
sqlite3 "$ws" "UPDATE records SET updated_at = '2024-06-01' || char(27) || '[31m',
  data = json_object('date', '2024-05-01', 'office', 'cph', 'notes', 'n' || char(155) || char(8238) || char(127) || char(1564))
  WHERE id = '$id'" || fail "could not update the record"

"$skema" audit show "$ws" "$id" >"$tmp/audit.txt" 2>"$tmp/err" || fail "audit show failed: $(cat "$tmp/err")"
has_hidden "$tmp/audit.txt" && fail "audit show printed control characters: $(cat -v "$tmp/audit.txt")"
[[ $(grep -c '' "$tmp/audit.txt") -eq $(sqlite3 "$ws" "SELECT count(*) FROM audit WHERE record_id='$id'") ]] ||
  fail "a stored newline made a line of its own: $(cat -v "$tmp/audit.txt")"
grep -qF ' 2024-06-01T10:00:00Z\x1b[8m eve\x1b[2J\n#99 forged edit r9 notes: "y" -> "a\x1b]0;owned\x07"  reason: why\rfine\x7f\u009b\u202e\u2028\u2067' \
  "$tmp/audit.txt" || fail "the escaped audit row is not as expected: $(cat -v "$tmp/audit.txt")"

"$skema" audit show "$ws" "$id" --json >"$tmp/audit.json" 2>"$tmp/err" || fail "audit show --json failed: $(cat "$tmp/err")"
LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f]' "$tmp/audit.json" && fail "JSON output has raw control characters"
grep -qF '"user":"eve\u001b[2J\n#99 forged"' "$tmp/audit.json" || fail "JSON user: $(cat -v "$tmp/audit.json")"
grep -qF '"new":"\"a\u001b]0;owned\u0007\""' "$tmp/audit.json" || fail "JSON new value (not JSON, as text): $(cat -v "$tmp/audit.json")"

"$skema" records list "$ws" test.visit >"$tmp/list.txt" 2>"$tmp/err" || fail "records list failed: $(cat "$tmp/err")"
has_hidden "$tmp/list.txt" && fail "records list printed control characters: $(cat -v "$tmp/list.txt")"
grep -qF '2024-06-01\x1b[31m' "$tmp/list.txt" || fail "records list time: $(cat -v "$tmp/list.txt")"
grep -qF '"notes":"n\u009b\u202e\x7f\u061c"' "$tmp/list.txt" || fail "records list values: $(cat -v "$tmp/list.txt")"

"$skema" report "$ws" test.visit --freq notes >"$tmp/report.txt" 2>"$tmp/err" || fail "report failed: $(cat "$tmp/err")"
has_hidden "$tmp/report.txt" && fail "report printed control characters: $(cat -v "$tmp/report.txt")"
grep -qF 'n\u009b\u202e\x7f\u061c' "$tmp/report.txt" || fail "report value: $(cat -v "$tmp/report.txt")"

# A plugin file's name is shown escaped too.
mkdir -p "$tmp/plugins"
printf 'junk\n' >"$tmp/plugins/"$'bad\e[2J.so'
SKEMA_PLUGIN_PATH="$tmp/plugins" "$skema" plugins list >"$tmp/plugins.txt" 2>&1 || fail "plugins list failed"
has_hidden "$tmp/plugins.txt" && fail "plugins list printed control characters: $(cat -v "$tmp/plugins.txt")"
grep -qxF 'refused bad\x1b[2J.so: not a Skema plugin: not an ELF shared library' "$tmp/plugins.txt" ||
  fail "plugins list: $(cat -v "$tmp/plugins.txt")"

[[ $fails -eq 0 ]] && echo "names_display: ok"
exit $((fails > 0))
