#!/usr/bin/env bash
# A record whose stored values are damaged is left out of every export
# format, named on stderr, and makes the exit code 1; the rest is exported.
# Usage: bash export_damaged.sh SKEMA_BINARY SOURCE_DIR
source "$2/tests/cli/lib/output_setup.sh" "$1"

# --- a record with damaged stored values is left out and named ---
cp $ws d.skema
bad=$(sqlite3 d.skema "select id from records where deleted=0 order by seq limit 1 offset 1")
odd=$(sqlite3 d.skema "select id from records where deleted=0 order by seq limit 1 offset 2")
sqlite3 d.skema "UPDATE records SET data='{broken' WHERE id='$bad'; UPDATE records SET data='[1]' WHERE id='$odd'"
live=$(sqlite3 d.skema "select count(*) from records where deleted=0")
for fmt in csv jsonl xlsx sav dta codebook-md codebook-html; do
  expect_rc 1 "$skema" export d.skema t.out --format $fmt --out d.$fmt
  said "skema: record $bad: stored values are damaged (parse error"
  said "skema: record $odd: stored values are damaged (not a JSON object); left out of the export"
  said "exported $((live - 2)) records of t.out; sensitive fields left out: notes; 2 damaged record(s) left out"
  [[ -s d.$fmt ]] || fail "$fmt: nothing exported"
done
[[ $(($(wc -l <d.csv) - 1)) -eq $((live - 2)) && $(wc -l <d.jsonl) -eq $((live - 2)) ]] || fail "csv/jsonl row counts"
grep -q "$bad" d.csv d.jsonl && fail "a damaged record was exported"
[[ $(readstat d.sav - 2>/dev/null | wc -l) -eq $((live - 1)) ]] || fail "sav row count"
expect_rc 1 "$skema" export d.skema t.out --format jsonl  # to stdout
[[ $(wc -l <"$tmp/out") -eq $((live - 2)) ]] || fail "stdout export row count"

no_part
[[ $fails -eq 0 ]] && echo "export_damaged: ok"
exit $((fails > 0))
