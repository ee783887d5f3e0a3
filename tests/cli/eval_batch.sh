#!/usr/bin/env bash
# skema eval: --batch keeps going past bad lines and answers every line in
# order; single expressions print their value (and type with --type).
# Usage: eval_batch.sh <skema-binary> <source-dir>
set -u
skema="$1"
src="$2"
data="$src/tests/data/expr"
fail=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

check() {  # name expected actual
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1"
    echo "  expected: $2"
    echo "  actual:   $3"
    fail=1
  fi
}

# Batch from a file, with a bad line in the middle.
"$skema" eval --batch "$data/batch.jsonl" > "$tmp/out.jsonl"
rc=$?
check "batch exit code" 0 "$rc"
if ! diff -u "$data/batch.expected" "$tmp/out.jsonl"; then
  echo "FAIL: batch output differs"
  fail=1
fi
# Same from stdin.
"$skema" eval --batch - < "$data/batch.jsonl" > "$tmp/stdin.jsonl"
if ! cmp -s "$data/batch.expected" "$tmp/stdin.jsonl"; then
  echo "FAIL: batch from stdin differs"
  fail=1
fi
check "one line per non-blank input line" "$(grep -cv '^$' "$data/batch.jsonl")" "$(wc -l < "$tmp/out.jsonl" | tr -d ' ')"

# Single expressions.
check "value" "7" "$("$skema" eval '${a} * 2 + 1' --var a=3)"
check "type" "7 (number)" "$("$skema" eval '${a} * 2 + 1' --var a=3 --type)"
check "string var" "x1 (string)" "$("$skema" eval 'concat(${a}, 1)' --var a=x --type)"
check "number var" "true" "$("$skema" eval '${a} = 2.5' --var a=2.5)"
check "date" "2020-03-01 (date)" "$("$skema" eval "date(date('2020-02-29') + 1)" --type)"
check "date var" "2020-02-29" "$("$skema" eval 'date(date(${d}) + 1)' --var d=2020-02-28)"
check "NaN" "NaN (number)" "$("$skema" eval "'' + 1" --type)"

# Errors: exit 1 with the column; usage errors exit 2.
"$skema" eval 'selected(${a})' > /dev/null 2> "$tmp/err"
check "error exit code" 1 "$?"
grep -q "function selected() takes 2 arguments, got 1" "$tmp/err" || { echo "FAIL: arity message"; cat "$tmp/err"; fail=1; }
"$skema" eval > /dev/null 2>&1
check "usage exit code" 2 "$?"
"$skema" eval '1' --var novalue > /dev/null 2>&1
check "bad --var exit code" 2 "$?"

# With a form: references are checked and jr:choice-name uses its choices.
form="$data/logic.json"
"$skema" eval '${agee} + 1' --form "$form" > /dev/null 2> "$tmp/err"
check "unknown ref with --form exits 1" 1 "$?"
grep -q 'unknown field ${agee}; did you mean ${age}?' "$tmp/err" || { echo "FAIL: did-you-mean"; cat "$tmp/err"; fail=1; }
check "choice name" "Blue" "$("$skema" eval "jr:choice-name(\${c}, '\${colours_liked}')" --form "$form" --var c=blue)"
check "choice name da" "Blå" "$("$skema" eval "jr:choice-name('blue', '\${colours_liked}')" --form "$form" --lang da)"
check "date field typed by form" "2020-02-29" "$("$skema" eval 'date(${born} + 1)' --form "$form" --var born=2020-02-28)"

exit $fail
