#!/usr/bin/env bash
# The limits of form files and expressions (docs/form-format.md and
# docs/expressions.md, "Limits"): what is over them is refused with the
# file's line or the expression's column, exit 1, and nothing crashes.
# A form within them publishes and saves.
# Usage: bash limits.sh SKEMA_BINARY SOURCE_DIR
skema="$1"; src="$2"
source "$src/tests/cli/lib/common.sh"
broken="$src/tests/data/forms/broken"
expect_text() {  # expect_text FILE TEXT
  grep -qF -- "$2" "$1" || fail "missing '$2' in: $(head -c 300 "$1")"
}
export SKEMA_USER=tester
chain() { python3 -c "print('+'.join(['1'] * $1))"; }

# --- forms check: one line per problem, at the field's line ---
expect_rc 1 "$skema" forms check "$broken/number_out_of_range.json"
expect_text "$tmp/out" "number_out_of_range.json:4:14: error: version: number out of range"
expect_rc 1 "$skema" forms check "$broken/json_too_deep.json"
expect_text "$tmp/out" "json_too_deep.json:8:111: error: count: lists and objects nested more than 100 deep"
expect_rc 1 "$skema" forms check "$broken/expression_too_long.json"
expect_text "$tmp/out" "expression_too_long.json:9:10021: error: total: constraint: expression too long: 29999 characters"
expect_rc 1 "$skema" forms check "$broken/regex_syntax.json"
expect_text "$tmp/out" "regex_syntax.json:8:30: error: code: constraint: regex: missing closing parenthesis at offset 9"

# --- eval says what is wrong, and shows only the part around the column ---
expect_rc 1 "$skema" eval "$(chain 15000)"
expect_text "$tmp/err" "skema eval: column 10001: expression too long: 29999 characters, at most 10000"
(( $(wc -L <"$tmp/err") < 200 )) || fail "eval echoed the whole expression"
expect_rc 1 "$skema" eval "$(chain 501)"
expect_text "$tmp/err" "column 1000: expression too deep"
expect_rc 0 "$skema" eval "$(chain 500)"
[[ "$(cat "$tmp/out")" == 500 ]] || fail "500 terms: $(cat "$tmp/out")"
expect_rc 1 "$skema" eval "regex('aaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '(a+)+\$')"
expect_text "$tmp/err" "regex too complex for the input"
expect_rc 1 "$skema" eval "regex(., '(unclosed')"
expect_text "$tmp/err" "column 10: regex: missing closing parenthesis at offset 9"

# --- publish refuses what the checker refuses; nothing is published ---
ws="$tmp/w.skema"
expect_rc 0 "$skema" init "$ws"
expect_rc 1 "$skema" forms publish "$ws" "$broken/expression_too_long.json"
expect_text "$tmp/err" "expression too long"
expect_rc 1 "$skema" records add "$ws" test.minimal '{"count": 1}'
expect_text "$tmp/err" "form test.minimal is not published"

# --- a form at the limits publishes, and its records save ---
cat >"$tmp/edge.json" <<JSON
{"format": "skema-form/1", "id": "test.edge", "version": 1, "languages": ["en"], "title": {"en": "Edge"},
 "fields": [
  {"name": "n", "type": "integer", "label": {"en": "N"}, "constraint": ". = $(chain 499)"},
  {"name": "code", "type": "text", "label": {"en": "Code"}, "constraint": "regex(., '(a+)+\$')"}
 ]}
JSON
expect_rc 0 "$skema" forms publish "$ws" "$tmp/edge.json"
expect_rc 0 "$skema" records add "$ws" test.edge '{"n": 499, "code": "aaaa"}'
expect_rc 1 "$skema" records add "$ws" test.edge '{"n": 1}'
expect_text "$tmp/err" "n:"
# A backtracking regex on a bad value: refused at once, not after minutes.
expect_rc 1 timeout 60 "$skema" records add "$ws" test.edge '{"code": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab"}'
expect_text "$tmp/err" "code:"

[[ $fails -eq 0 ]] && echo "limits: ok"
exit $((fails > 0))
