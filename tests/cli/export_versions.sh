#!/usr/bin/env bash
# skema export --versions: only the named form versions' records and their
# fields, for csv, jsonl, sav (read back with Debian's readstat CLI) and the
# codebook; an unpublished or malformed version list is refused and writes
# nothing; without --versions every version is exported as before.
# Usage: bash export_versions.sh SKEMA_BINARY SOURCE_DIR
set -uo pipefail
skema="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
export SKEMA_USER=tester

# v1 has `people`; v2 renames `place` to `venue` and adds `minutes`; v3 adds `bus`.
cat >"$tmp/v1.json" <<'JSON'
{
  "format": "skema-form/1", "id": "t.visit", "version": 1, "languages": ["en"], "title": {"en": "Visit"},
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "place", "type": "select_one", "label": {"en": "Place"}, "choices": "places"},
    {"name": "people", "type": "integer", "label": {"en": "People"}}
  ],
  "choices": {"places": [{"name": "street", "label": {"en": "Street"}}, {"name": "clinic", "label": {"en": "Clinic"}}]}
}
JSON
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
v1 = json.load(open(tmp + "/v1.json"))
v2 = json.loads(json.dumps(v1)); v2["version"] = 2
v2["fields"] = [v1["fields"][0], dict(v1["fields"][1], name="venue", renamed_from="place"),
                {"name": "minutes", "type": "integer", "label": {"en": "Minutes"}}]
v3 = json.loads(json.dumps(v2)); v3["version"] = 3
v3["fields"] = [dict(f) for f in v2["fields"]]
v3["fields"][1].pop("renamed_from")
v3["fields"].append({"name": "bus", "type": "text", "label": {"en": "Bus"}})
json.dump(v2, open(tmp + "/v2.json", "w")); json.dump(v3, open(tmp + "/v3.json", "w"))
with open(tmp + "/rows.csv", "w") as f:
    f.write("_form_version,date,place,people,venue,minutes,bus\n")
    for i in range(4): f.write("1,2024-01-0%d,street,%d,,,\n" % (i + 1, i))
    for i in range(3): f.write("2,2024-02-0%d,,,clinic,%d,\n" % (i + 1, 10 + i))
    for i in range(2): f.write("3,2024-03-0%d,,,street,5,b%d\n" % (i + 1, i))
PY
ws="$tmp/w.skema"
"$skema" init "$ws" >/dev/null || fail "init"
for v in 1 2 3; do "$skema" forms publish "$ws" "$tmp/v$v.json" >/dev/null || fail "publish v$v"; done
# One CSV holds rows of every version; each row's own columns only.
python3 - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
rows = list(csv.DictReader(open(tmp + "/rows.csv")))
keep = {"1": ["_form_version", "date", "place", "people"], "2": ["_form_version", "date", "venue", "minutes"],
        "3": ["_form_version", "date", "venue", "minutes", "bus"]}
for v, cols in keep.items():
    with open("%s/rows%s.csv" % (tmp, v), "w", newline="") as f:
        w = csv.writer(f); w.writerow(cols)
        for r in rows:
            if r["_form_version"] == v: w.writerow([r[c] for c in cols])
PY
for v in 1 2 3; do "$skema" import "$ws" t.visit "$tmp/rows$v.csv" >/dev/null 2>"$tmp/err" || fail "import v$v: $(cat "$tmp/err")"; done

# csv: only v1 and v3 records; the columns are the fields of v1 and v3
"$skema" export "$ws" t.visit --versions 1,3 --out "$tmp/13.csv" 2>"$tmp/err" || fail "csv --versions 1,3: $(cat "$tmp/err")"
grep -q "exported 6 records" "$tmp/err" || fail "csv count: $(cat "$tmp/err")"
python3 - "$tmp/13.csv" <<'PY' || fail "csv --versions 1,3 content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert sorted(r["_form_version"] for r in rows) == ["1"] * 4 + ["3"] * 2, [r["_form_version"] for r in rows]
cols = list(rows[0].keys())
assert "people" in cols and "bus" in cols and "place" in cols and "venue" in cols, cols
PY
"$skema" export "$ws" t.visit --versions 2 --format jsonl --out "$tmp/2.jsonl" 2>/dev/null || fail "jsonl --versions 2"
python3 - "$tmp/2.jsonl" <<'PY' || fail "jsonl --versions 2 content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["_form_version"] for r in rows] == [2, 2, 2], rows
assert sorted(r["minutes"] for r in rows) == [10, 11, 12]
PY

# sav: read back by readstat; v2 only -> 3 rows, `venue` (renamed place) and `minutes`, no `people`/`bus`
if command -v readstat >/dev/null; then
  "$skema" export "$ws" t.visit --versions 2 --format sav --out "$tmp/2.sav" 2>/dev/null || fail "sav --versions 2"
  readstat "$tmp/2.sav" - >"$tmp/2.sav.csv" 2>/dev/null || fail "readstat cannot read the .sav"
  python3 - "$tmp/2.sav.csv" <<'PY' || fail "sav --versions 2 content: $(head -3 "$tmp/2.sav.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 3, len(rows)
assert all(float(r["form_version"]) == 2 for r in rows)
cols = rows[0].keys()
assert "venue" in cols and "minutes" in cols and "people" not in cols and "bus" not in cols, list(cols)
PY
  "$skema" export "$ws" t.visit --format sav --out "$tmp/all.sav" 2>/dev/null || fail "sav, all versions"
  [[ $(readstat "$tmp/all.sav" - 2>/dev/null | tail -n +2 | wc -l) -eq 9 ]] || fail "sav without --versions: not all 9 records"
else
  fail "readstat CLI missing (apt-get install readstat)"
fi
"$skema" export "$ws" t.visit --versions 3 --format codebook-md --out "$tmp/3.md" 2>/dev/null || fail "codebook --versions 3"
grep -q "Versions: 3. Records: 2." "$tmp/3.md" || fail "codebook header: $(grep Versions "$tmp/3.md")"
grep -q '| `bus` |' "$tmp/3.md" || fail "codebook of v3 lacks bus"
grep -q '| `people` |' "$tmp/3.md" && fail "codebook of v3 lists v1's people"

# refused: an unpublished version (exit 1, says which exist), a malformed list (usage, exit 2); no file either way
"$skema" export "$ws" t.visit --versions 1,4 --format sav --out "$tmp/x.sav" 2>"$tmp/err"
[[ $? -eq 1 ]] || fail "unpublished version: exit code"
grep -q "no version 4 (published: 1, 2, 3)" "$tmp/err" || fail "unpublished version message: $(cat "$tmp/err")"
[[ ! -e "$tmp/x.sav" && ! -e "$tmp/x.sav.part" ]] || fail "a refused export left a file"
"$skema" export "$ws" t.visit --versions 9 --out "$tmp/x.csv" 2>/dev/null
[[ $? -eq 1 && ! -e "$tmp/x.csv" && ! -e "$tmp/x.csv.part" ]] || fail "csv: unpublished version"
for bad in "" "1,,2" "a" "0" "1-3"; do
  "$skema" export "$ws" t.visit --versions "$bad" --out "$tmp/x.csv" 2>/dev/null
  [[ $? -eq 2 && ! -e "$tmp/x.csv" ]] || fail "--versions '$bad' not refused as usage"
done

[[ $fails -eq 0 ]] && echo "export_versions: ok"
exit $((fails > 0))
