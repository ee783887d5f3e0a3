# Shared by the output tests (output_files.sh, export_damaged.sh,
# export_formulas.sh): helpers, and a workspace w.skema with form t.out
# (text, integer, decimal, a sensitive text) and four records, in $tmp
# (the current folder). Sourced with the skema binary as $1.
skema="$(realpath "$1")"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
said() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1': $(cat "$tmp/err")"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
no_part() { local p; p=$(find "$tmp" -name '*.part'); [[ -z "$p" ]] || fail "left behind: $p"; }
export SKEMA_USER=tester
umask 022
cd "$tmp" || exit 1

cat >form.json <<'JSON'
{
  "format": "skema-form/1", "id": "t.out", "version": 1, "languages": ["en"],
  "title": {"en": "Output"},
  "fields": [
    {"name": "label", "type": "text", "label": {"en": "Label"}},
    {"name": "count", "type": "integer", "label": {"en": "Count"}},
    {"name": "score", "type": "decimal", "label": {"en": "Score"}},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}, "sensitive": true}
  ]
}
JSON
ws=w.skema
expect_rc 0 "$skema" init $ws
expect_rc 0 "$skema" init other.skema
expect_rc 0 "$skema" forms publish $ws form.json
for i in 1 2 3 4; do
  expect_rc 0 "$skema" records add $ws t.out "{\"label\": \"plain $i\", \"count\": $i, \"notes\": \"secret $i\"}"
done
records() { sqlite3 $ws "select count(*) from records where deleted=0"; }

