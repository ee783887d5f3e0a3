#!/usr/bin/env bash
# skema export --format sav|dta|xlsx|codebook-md|codebook-html on a demo
# workspace, checked independently: .sav/.dta read back by Debian's
# `readstat` CLI, .xlsx unzipped and its sheet XML parsed (python3), and
# every value compared with `skema export --format jsonl`.
set -uo pipefail
skema="$1"; src="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail() { echo "export_files: $*"; exit 1; }
command -v readstat >/dev/null || fail "readstat CLI missing (apt-get install readstat)"
"$skema" demo "$tmp/w.skema" --records 300 --seed 5 --today 2025-06-30 --forms "$src/forms" >/dev/null || exit 1
form=outreach.visit
"$skema" export "$tmp/w.skema" $form --format jsonl --out "$tmp/v.jsonl" 2>/dev/null || fail "jsonl"
for f in sav dta xlsx codebook-md codebook-html; do
  "$skema" export "$tmp/w.skema" $form --format $f --out "$tmp/v.$f" 2>"$tmp/err.$f" || { cat "$tmp/err.$f"; fail "export $f"; }
  [[ -s "$tmp/v.$f" && ! -e "$tmp/v.$f.part" ]] || fail "$f: no file or a .part left"
  grep -q "sensitive fields left out:.*notes" "$tmp/err.$f" || fail "$f: notes not reported as left out"
done
readstat "$tmp/v.sav" >"$tmp/sav.meta" || fail "readstat cannot read the .sav"
grep -q "Rows: 300\|Rows: [0-9]" "$tmp/sav.meta" || fail "sav metadata: $(cat "$tmp/sav.meta")"
readstat "$tmp/v.sav" - >"$tmp/sav.csv" 2>/dev/null || fail "readstat sav -> csv"
readstat "$tmp/v.dta" - >"$tmp/dta.csv" 2>/dev/null || fail "readstat dta -> csv"
# --out needed; a bad --include-sensitive name is refused and writes nothing
"$skema" export "$tmp/w.skema" $form --format sav 2>/dev/null; [[ $? -eq 2 ]] || fail "sav without --out"
"$skema" export "$tmp/w.skema" $form --format sav --out "$tmp/x.sav" --include-sensitive office 2>/dev/null; [[ $? -eq 1 && ! -e "$tmp/x.sav" && ! -e "$tmp/x.sav.part" ]] || fail "include-sensitive of a non-sensitive field"
"$skema" export "$tmp/w.skema" $form --format sav --out "$tmp/s.sav" --include-sensitive notes 2>/dev/null || fail "include notes"
readstat "$tmp/s.sav" - >"$tmp/s.csv" 2>/dev/null && head -1 "$tmp/s.csv" | grep -q '"notes"' || fail "notes not in the export when named"

# Labels, read back by a reader Skema did not write: Debian's readstat
# package's extract_metadata, compared with the form definition itself.
command -v extract_metadata >/dev/null || fail "extract_metadata missing (Debian package readstat)"
{
  extract_metadata "$tmp/v.sav" "$tmp/sav.meta.json" >/dev/null 2>&1 || fail "extract_metadata cannot read the .sav"
  extract_metadata "$tmp/v.dta" "$tmp/dta.meta.json" >/dev/null 2>&1 || fail "extract_metadata cannot read the .dta"
  python3 - "$tmp" "$src" <<'PY' || fail "labels in .sav/.dta differ from the form"
import json, sys, glob
tmp, src = sys.argv[1], sys.argv[2]
form = json.load(open(src + "/forms/outreach/visit.v1.json"))
lists = dict(form.get("choices", {}))
for f in glob.glob(src + "/forms/choices/*.json"):
    c = json.load(open(f)); lists.setdefault(c["name"], c["choices"])
fields = {}
def walk(fs):
    for f in fs:
        fields[f["name"]] = f
        walk(f.get("fields", []))
walk(form["fields"])
for kind in ("sav", "dta"):
    meta = json.load(open("%s/%s.meta.json" % (tmp, kind)))
    checked_vars = checked_values = 0
    for v in meta["variables"]:
        f = fields.get(v["name"])
        if f is None or "label" not in f: continue
        assert v.get("label") == f["label"]["en"], (kind, v["name"], v.get("label"), f["label"]["en"])
        checked_vars += 1
        if f["type"] == "select_one":
            want = [c["label"]["en"] for c in lists[f["choices"]]]
            got = [c["label"] for c in sorted(v.get("categories", []), key=lambda c: c["code"])]
            assert got == want, (kind, v["name"], got[:5], want[:5])
            checked_values += len(want)
        if f["type"] == "date":  # a date format, not a plain number (%td reads as DATE_TIME here)
            assert v.get("format") in ("DATE", "DATE_TIME"), (kind, v["name"], v.get("format"))
    assert checked_vars > 10 and checked_values > 100, (kind, checked_vars, checked_values)
    print("%s: %d variable labels and %d value labels match the form" % (kind, checked_vars, checked_values))
PY
}

python3 - "$tmp" <<'PY' || exit 1
import csv, json, sys, zipfile, re, datetime, xml.etree.ElementTree as ET
tmp = sys.argv[1]
recs = {}
for l in open(tmp + "/v.jsonl"):
    r = json.loads(l); recs[r["_id"]] = r
# choice order per select field, from the markdown codebook (code = position + 1)
choices, types = {}, {}
for line in open(tmp + "/v.codebook-md"):
    m = re.match(r"\| `([^`]+)` \| (.*?) \| (\S+)(?: \(.*?\))? \| (.*?) \| ([\d, ]+) \|", line)
    if not m: continue
    name, typ, ch = m.group(1), m.group(3).replace("\\_", "_"), m.group(4)
    types[name] = typ
    if ch:
        choices[name] = [c.split(" = ")[0].replace("\\_", "_").replace("\\-", "-") for c in ch.split("<br>")]
assert "office" in choices and "contact_outcome" in choices, choices.keys()
epoch = datetime.date(1970, 1, 1)
def num(s): return None if s == "" else float(s)
def check_stats(path, dta):
    rows = list(csv.DictReader(open(path)))
    assert len(rows) == len(recs), (path, len(rows), len(recs))
    n = 0
    for row in rows:
        r = recs[row["record_id"]]
        assert int(float(row["form_version"])) == r["_form_version"]
        assert row["status"] == r["_status"]
        assert row["created_at"] == r["_created_at"] and row["updated_by"] == r["_updated_by"]
        for name, typ in types.items():
            if "/" in name or typ in ("repeat",) or name == "notes": continue
            v = r.get(name)
            if typ == "select_one":
                got = num(row[name]); n += 1
                want = None if v is None else choices[name].index(v) + 1
                assert got == want, (path, name, got, v)
            elif typ == "select_multiple":
                chosen = (v or "").split()
                for c in choices[name]:
                    col = name + "_" + re.sub(r"[^A-Za-z0-9_]", "_", c)
                    col = col if dta is False or len(col) <= 32 else col[:32]
                    got = num(row[col]); n += 1
                    want = None if v is None else (1.0 if c in chosen else 0.0)
                    assert got == want, (path, col, got, v)
            elif typ == "date":
                got = num(row[name]); n += 1
                if v is None: assert got is None, (name, got); continue
                days = (datetime.date.fromisoformat(v) - epoch).days
                want = days + 3653 if dta else (days + 141428) * 86400
                assert got == want, (path, name, got, v)
            elif typ in ("integer", "decimal", "range", "calculate") and (v is None or isinstance(v, (int, float))) and row[name] == "" or re.match(r"^-?[\d.]+$", row[name] or "x"):
                got = num(row[name]); n += 1
                assert got == (None if v is None else float(v)), (path, name, got, v)
            else:
                n += 1
                assert row[name] == ("" if v is None else str(v)), (path, name, row[name], v)
    return n
a = check_stats(tmp + "/sav.csv", False)
b = check_stats(tmp + "/dta.csv", True)
assert a > 1000 and b > 1000, (a, b)

# xlsx: sheet names, the records sheet against the jsonl, repeat rows linked by record_id
z = zipfile.ZipFile(tmp + "/v.xlsx")
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
wb = ET.fromstring(z.read("xl/workbook.xml"))
sheets = [s.get("name") for s in wb.find("m:sheets", ns)]
assert sheets[0] == "records" and sheets[-1] == "codebook" and "persons" in sheets, sheets
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0); n = 0
    for ch in letters: n = n * 26 + ord(ch) - 64
    return n - 1
def read_sheet(i):
    root = ET.fromstring(z.read("xl/worksheets/sheet%d.xml" % i))
    out = []
    for row in root.iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            t = c.get("t"); v = c.find("m:v", ns)
            if t == "s": val = shared[int(v.text)]
            elif t == "inlineStr": val = "".join(x.text or "" for x in c.iter("{%s}t" % ns["m"]))
            elif t == "str": val = v.text or ""
            else: val = float(v.text) if v is not None else None
            cells[col_index(c.get("r"))] = val
        out.append(cells)
    head = out[0]; names = [head[i] for i in range(len(head))]
    return [{names[k]: v for k, v in r.items()} for r in out[1:]]
main = read_sheet(1)
assert len(main) == len(recs), (len(main), len(recs))
cells = 0
for row in main:
    r = recs[row["record_id"]]
    for k, v in r.items():
        if k.startswith("_") or k == "persons": continue
        got = row.get(k); cells += 1
        assert got == (float(v) if isinstance(v, (int, float)) else v), ("xlsx", k, got, v)
    for k, v in row.items():
        if k in ("record_id", "form_version", "status", "created_at", "created_by", "updated_at", "updated_by"): continue
        assert k in r, ("xlsx has a value the record has not", k, v)
persons = read_sheet(sheets.index("persons") + 1)
want = sum(len(r.get("persons", [])) for r in recs.values())
assert len(persons) == want, (len(persons), want)
for p in persons:
    r = recs[p["record_id"]]
    inst = r["persons"][int(p["instance"]) - 1]
    assert p.get("person_code") == inst.get("person_code"), (p, inst)
    assert "topics" not in p  # sensitive, left out
html = open(tmp + "/v.codebook-html").read()
assert "<code>contact_outcome</code>" in html and "</table>" in html
print("export_files: %d sav, %d dta values and %d xlsx cells checked, %d repeat rows" % (a, b, cells, len(persons)))
PY
echo "export_files: ok"
