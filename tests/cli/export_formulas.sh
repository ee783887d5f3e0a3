#!/usr/bin/env bash
# CSV exports neutralise cells a spreadsheet would run as formulas (OWASP):
# a leading ' on text starting with = + - @ tab CR; numbers stay numbers;
# --raw writes the cells as stored; xlsx holds them as strings.
# Usage: bash export_formulas.sh SKEMA_BINARY SOURCE_DIR
source "$2/tests/cli/lib/output_setup.sh" "$1"

# --- formulas in CSV cells ---
cat >f.json <<'JSON'
{"label": "=HYPERLINK(\"http://x.example\",\"click\")", "count": -3, "score": -1.5}
{"label": "+cmd|' /C calc'!A0", "count": 0}
{"label": "@SUM(1,2)"}
{"label": "-2+3"}
{"label": "\tTAB"}
{"label": "\rCR"}
{"label": "safe = text"}
JSON
expect_rc 0 "$skema" init f.skema
expect_rc 0 "$skema" forms publish f.skema form.json
expect_rc 0 "$skema" import f.skema t.out f.json --user "=1+2"
expect_rc 0 "$skema" export f.skema t.out --out f.csv
expect_rc 0 "$skema" export f.skema t.out --out raw.csv --raw
expect_rc 0 "$skema" export f.skema t.out --format xlsx --out f.xlsx
expect_rc 2 "$skema" export f.skema t.out --format jsonl --raw
python3 - f.json f.csv raw.csv f.xlsx <<'EOF' || fail "neutralised CSV cells"
import csv, json, sys, zipfile
want = [json.loads(l) for l in open(sys.argv[1])]
def rows(path):
    return list(csv.DictReader(open(path, newline="")))
safe, raw = rows(sys.argv[2]), rows(sys.argv[3])
assert len(safe) == len(want) == len(raw)
bad = 0
for w, s, r in zip(want, safe, raw):
    label = w["label"]
    quoted = label[0] in "=+-@\t\r"
    if s["label"] != ("'" + label if quoted else label): print("csv:", repr(s["label"])); bad += 1
    if r["label"] != label: print("raw:", repr(r["label"])); bad += 1
    for k in ("count", "score"):  # numbers stay numbers, -3 included
        if k in w and (s[k] != str(w[k]) or r[k] != str(w[k])): print(k, s[k], r[k]); bad += 1
    if s["_created_by"] != "'=1+2" or r["_created_by"] != "=1+2": print("user:", s["_created_by"]); bad += 1
# xlsx: the same text as strings, never a formula.
sheet = zipfile.ZipFile(sys.argv[4]).read("xl/worksheets/sheet1.xml").decode()
if "<f>" in sheet or "<f " in sheet: print("xlsx has a formula"); bad += 1
if "=HYPERLINK(&quot;http://x.example&quot;" not in sheet and '=HYPERLINK("http://x.example"' not in sheet:
    print("xlsx lacks the text"); bad += 1
sys.exit(1 if bad else 0)
EOF
# Report tables as CSV: text values and labels neutralised, numbers kept.
expect_rc 0 "$skema" report f.skema t.out --freq label --format csv
grep -qF "\"'=HYPERLINK(" "$tmp/out" || fail "report csv keeps a formula: $(cat "$tmp/out")"
grep -q '^=\|^"=\|^+\|^@' "$tmp/out" && fail "report csv cell starts a formula: $(cat "$tmp/out")"
expect_rc 0 "$skema" report f.skema t.out --freq count --format csv
grep -q '^-3,-3,' "$tmp/out" || fail "report csv quoted a number: $(cat "$tmp/out")"

# --raw round-trips exactly.
expect_rc 0 "$skema" init g.skema
expect_rc 0 "$skema" forms publish g.skema form.json
expect_rc 0 "$skema" import g.skema t.out raw.csv
expect_rc 0 "$skema" export g.skema t.out --out back.csv --raw
cmp -s raw.csv back.csv || fail "a --raw export does not round-trip"

no_part
[[ $fails -eq 0 ]] && echo "export_formulas: ok"
exit $((fails > 0))
