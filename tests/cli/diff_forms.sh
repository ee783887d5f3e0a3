#!/usr/bin/env bash
# skema forms diff: two definition files, FORM@N in a workspace, --json,
# impact on records, exit codes. Usage: bash diff_forms.sh SKEMA_BINARY SOURCE_DIR
set -uo pipefail
skema="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
export SKEMA_USER=tester
v1="$src/forms/outreach/visit.v1.json"
v2="$src/tests/data/forms/revised/outreach/visit.v2.json"

out=$("$skema" forms diff "$v1" "$v2") || fail "diff of two files exited $?"
for want in "outreach.visit v1 -> v2" "field \`place_type\` renamed to \`place_kind\`" \
            "choice \`bar\` removed from \`place_kind\`" "choice \`hotel\` added to \`place_kind\`" \
            "type of \`clinic_ref\` changed: text -> integer" "field \`visit_mode\` added (select_one, required)" \
            "label of \`notes\` changed"; do
  grep -qF "$want" <<<"$out" || fail "diff lacks: $want"
done
grep -q "removed$" <<<"$out" && fail "a rename was reported as a removal"
grep -q "impact:" <<<"$out" && fail "impact printed without a workspace"

"$skema" forms diff "$v1" "$v2" --json >"$tmp/d.json" || fail "--json exited $?"
python3 - "$tmp/d.json" <<'PY' || fail "--json content"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {c["kind"] for c in d["changes"]}
need = {"field-renamed", "choice-removed", "choice-added", "type-changed", "field-added", "label-changed"}
assert need <= kinds, kinds
r = [c for c in d["changes"] if c["kind"] == "field-renamed"][0]
assert r["old_field"] == "place_type" and r["field"] == "place_kind", r
PY

out=$("$skema" forms diff "$v1" "$v1") || fail "same file exited $?"
grep -q ": 0 change(s)" <<<"$out" || fail "same file should have no changes: $out"

# exit codes: FORM@N without a workspace, missing file, broken file
"$skema" forms diff outreach.visit@1 outreach.visit@2 >/dev/null 2>&1; [[ $? -eq 2 ]] || fail "FORM@N without --workspace should exit 2"
"$skema" forms diff "$tmp/nope.json" "$v1" >/dev/null 2>&1; [[ $? -eq 3 ]] || fail "missing file should exit 3"
"$skema" forms diff "$src/tests/data/forms/broken/duplicate_field.json" "$v1" >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "broken file should exit 1"
"$skema" forms diff "$v1" >/dev/null 2>&1; [[ $? -eq 2 ]] || fail "one argument should exit 2"

# in a workspace: impact on the records of v1
ws="$tmp/ws.skema"
"$skema" demo "$ws" --records 150 --seed 7 --today 2025-06-30 --forms "$src/forms" >/dev/null || fail "demo"
"$skema" forms publish "$ws" "$v2" >/dev/null || fail "publish v2"
out=$("$skema" forms diff --workspace "$ws" outreach.visit@1 outreach.visit@2) || fail "workspace diff exited $?"
grep -q "impact measured on [0-9]* record(s) of v1" <<<"$out" || fail "no impact summary: $out"
grep -qE "impact: [0-9]+ records? (has|have) it" <<<"$out" || fail "no impact of the removed choice: $out"
grep -qE "impact: [0-9]+ records? (has|have) a value; it follows the rename" <<<"$out" || fail "no impact of the rename"
"$skema" forms diff --workspace "$ws" outreach.visit@1 outreach.visit@9 >/dev/null 2>&1
[[ $? -eq 1 ]] || fail "unknown version should exit 1"
# a file against a stored version, with impact
out=$("$skema" forms diff --workspace "$ws" outreach.visit@1 "$v2") || fail "mixed diff exited $?"
grep -qF "renamed to \`place_kind\`" <<<"$out" || fail "mixed diff"

# v3 renames v2's place_kind again: from v1 the field is traced through v2
mkdir -p "$tmp/forms/outreach" && ln -s "$src/forms/choices" "$tmp/forms/choices"  # the shared lists beside it
v3="$tmp/forms/outreach/visit.v3.json"
python3 - "$v2" "$v3" <<'PY' || fail "making v3"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read().replace("${place_kind}", "${venue_kind}")
form = json.loads(text)
form["version"] = 3
def walk(fields):
    for f in fields:
        if f["name"] == "place_kind":
            f["name"], f["renamed_from"] = "venue_kind", "place_kind"
        walk(f.get("fields", []))
walk(form["fields"])
json.dump(form, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
"$skema" forms publish "$ws" "$v3" >/dev/null || fail "publish v3"
out=$("$skema" forms diff --workspace "$ws" outreach.visit@1 outreach.visit@3) || fail "v1 -> v3 diff exited $?"
grep -qF "field \`place_type\` renamed to \`venue_kind\`" <<<"$out" || fail "rename across two versions not traced: $out"
grep -qE "impact: [0-9]+ records? (has|have) a value; it follows the rename" <<<"$out" || fail "no impact of the traced rename"

[[ $fails -eq 0 ]] && echo "diff_forms: ok"
exit $((fails > 0))
