#!/usr/bin/env bash
# skema report on a demo workspace: every figure equals the one computed
# independently (python3) from `skema export --format jsonl`.
set -uo pipefail
skema="$1"; src="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$skema" demo "$tmp/w.skema" --records 400 --seed 11 --today 2025-06-30 --forms "$src/forms" >/dev/null || exit 1
fail() { echo "report_demo: $*"; exit 1; }

"$skema" export "$tmp/w.skema" outreach.visit --format jsonl --include-sensitive notes >"$tmp/visit.jsonl" 2>/dev/null || fail "export"
"$skema" report "$tmp/w.skema" outreach.visit --freq office --format json >"$tmp/freq.json" || fail "freq"
"$skema" report "$tmp/w.skema" outreach.visit --crosstab office contact_outcome --where "\${place_type} = 'massage_clinic' or \${visit_kind} = 'support_meeting'" --format json >"$tmp/x.json" || fail "crosstab"
"$skema" report "$tmp/w.skema" outreach.visit --series month --by place_type --office odense --office aarhus --format json >"$tmp/s.json" || fail "series"
"$skema" report "$tmp/w.skema" outreach.visit --freq nationalities --from 2025-01-01 --to 2025-03-31 --format json >"$tmp/n.json" || fail "freq nationalities"
"$skema" report "$tmp/w.skema" outreach.visit --series week --format json >"$tmp/w.json" || fail "series week"
# fields inside the `persons` repeat: every instance counts
"$skema" report "$tmp/w.skema" outreach.visit --freq conversation_order --format json >"$tmp/r.json" || fail "freq in a repeat"
"$skema" report "$tmp/w.skema" outreach.visit --crosstab office conversation_order --office odense --office cph --format json >"$tmp/rx.json" || fail "crosstab with a repeat"

python3 - "$tmp" <<'PY' || exit 1
import json, sys, collections, datetime
tmp = sys.argv[1]
rows = [json.loads(l) for l in open(tmp + "/visit.jsonl")]
rows = [r for r in rows if r["_status"] == "final"]
def load(n): return json.load(open(tmp + "/" + n))
def cells(t):
    return {(t["rows"][i]["key"], t["cols"][j]["key"]): t["counts"][i][j]
            for i in range(len(t["rows"])) for j in range(len(t["cols"]))}
def check(name, got, want):
    got = {k: v for k, v in got.items() if v}
    want = {k: v for k, v in want.items() if v}
    if got != want:
        print("report_demo: %s differs\n got  %s\n want %s" % (name, sorted(got.items()), sorted(want.items())))
        sys.exit(1)

# frequency of office
t = load("freq.json")
want = collections.Counter((r.get("office", ""), "count") for r in rows)
check("freq office", cells(t), want)
assert t["records"] == len(rows), (t["records"], len(rows))

# crosstab office x contact_outcome (select_multiple: each choice counts)
t = load("x.json")
sel = [r for r in rows if r.get("place_type") == "massage_clinic" or r.get("visit_kind") == "support_meeting"]
want = collections.Counter()
for r in sel:
    for c in (r.get("contact_outcome", "").split() or [""]):
        want[(r.get("office", ""), c)] += 1
check("crosstab", cells(t), want)
assert t["records"] == len(sel)
for i, row in enumerate(t["rows"]):
    assert row["total"] == sum(1 for r in sel if r.get("office", "") == row["key"]), row

# monthly series by place type, offices odense + aarhus
t = load("s.json")
sel = [r for r in rows if r.get("office") in ("odense", "aarhus")]
want = collections.Counter((r["date"][:7], r.get("place_type", "")) for r in sel)
check("series", cells(t), want)

# nationalities in Q1 2025
t = load("n.json")
sel = [r for r in rows if "2025-01-01" <= r.get("date", "") <= "2025-03-31"]
want = collections.Counter()
for r in sel:
    for c in (r.get("nationalities", "").split() or [""]):
        want[(c, "count")] += 1
check("freq nationalities", cells(t), want)

# ISO weeks
t = load("w.json")
def week(d):
    y, w, _ = datetime.date.fromisoformat(d).isocalendar()
    return "%04d-W%02d" % (y, w)
want = collections.Counter((week(r["date"]), "count") for r in rows)
check("series week", cells(t), want)
keys = [r["key"] for r in t["rows"]]
assert keys == sorted(keys), "weeks out of order"

# a field inside a repeat: one count per instance, totals are instances
t = load("r.json")
inst = [p for r in rows for p in r.get("persons", [])]
assert len(inst) > 0, "the demo has no repeat instances"
want = collections.Counter((p.get("conversation_order", ""), "count") for p in inst)
check("freq in a repeat", cells(t), want)
assert t["records"] == len(rows) and t["instances"] == len(inst) and t["instances_of"] == "persons", (t["records"], t["instances"])
t = load("rx.json")
want = collections.Counter((r["office"], p.get("conversation_order", "")) for r in rows
                           if r.get("office") in ("odense", "cph") for p in r.get("persons", []))
check("crosstab with a repeat", cells(t), want)
PY

# errors: unknown field (with a suggestion), bad expression
out=$("$skema" report "$tmp/w.skema" outreach.visit --freq ofice 2>&1); [[ $? -eq 1 && "$out" == *"did you mean 'office'"* ]] || fail "unknown field: $out"
out=$("$skema" report "$tmp/w.skema" outreach.visit --freq office --where '${office} =' 2>&1); [[ $? -eq 1 && "$out" == *"--where: column"* ]] || fail "bad where: $out"
"$skema" report "$tmp/w.skema" outreach.visit --freq 2>/dev/null; [[ $? -eq 2 ]] || fail "usage"

# saved reports
"$skema" report "$tmp/w.skema" outreach.visit --freq office --office odense --save "odense offices" --format csv >"$tmp/a.csv" 2>/dev/null || fail "save"
"$skema" report "$tmp/w.skema" --list | grep -q "^odense offices" || fail "list"
"$skema" report "$tmp/w.skema" --saved "odense offices" --format csv >"$tmp/b.csv" || fail "saved"
cmp -s "$tmp/a.csv" "$tmp/b.csv" || fail "saved report gives other numbers"
[[ ! -e "$tmp/w.skema.reports.json" ]] || fail "saved beside the workspace, not in it"
# a report saved beside the workspace by an earlier version is moved in once
printf '{"old": {"form": "outreach.visit", "spec": {"kind": "freq", "field": "place_type"}}}' >"$tmp/w.skema.reports.json"
"$skema" report "$tmp/w.skema" --list >"$tmp/list" 2>"$tmp/err" || fail "list with a side file"
grep -q "^old" "$tmp/list" && grep -q "^odense offices" "$tmp/list" || fail "side file not moved in: $(cat "$tmp/list")"
grep -q "moved 1 saved report" "$tmp/err" || fail "no note of the move: $(cat "$tmp/err")"
[[ ! -e "$tmp/w.skema.reports.json" && -e "$tmp/w.skema.reports.json.imported" ]] || fail "side file not renamed"
"$skema" report "$tmp/w.skema" --saved old --format json | grep -q '"row_field": "place_type"' || fail "moved report does not run"
echo "report_demo: ok"
