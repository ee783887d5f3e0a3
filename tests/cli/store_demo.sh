#!/usr/bin/env bash
# skema demo: creates a valid, deterministic workspace from the shipped forms.
set -uo pipefail
skema="$1"; src="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$skema" demo "$tmp/a.skema" --records 400 --seed 7 --today 2025-06-30 --forms "$src/forms" >"$tmp/out" || { cat "$tmp/out"; exit 1; }
"$skema" demo "$tmp/b.skema" --records 400 --seed 7 --today 2025-06-30 --forms "$src/forms" >/dev/null || exit 1
"$skema" demo "$tmp/a.skema" >/dev/null 2>&1 && { echo "demo overwrote a workspace"; exit 1; }
"$skema" audit verify "$tmp/a.skema" >/dev/null || exit 1
for f in outreach.visit psychology.session advisory.inquiry; do
  n=$("$skema" records list "$tmp/a.skema" "$f" --limit 100000 --json | wc -l)
  [[ $n -gt 0 ]] || { echo "no $f records"; exit 1; }
  # same seed, same records (ids are random UUIDs; drafts and edits are stamped with the time they are saved)
  "$skema" export "$tmp/a.skema" "$f" --format jsonl | python3 -c 'import sys,json; rows=[json.loads(l) for l in sys.stdin]; [print(json.dumps({k:v for k,v in r.items() if k not in ("_id","_updated_at","_updated_by") and not (k=="_created_at" and r["_status"]=="draft")}, sort_keys=True)) for r in rows]' | sort >"$tmp/a.$f"
  "$skema" export "$tmp/b.skema" "$f" --format jsonl | python3 -c 'import sys,json; rows=[json.loads(l) for l in sys.stdin]; [print(json.dumps({k:v for k,v in r.items() if k not in ("_id","_updated_at","_updated_by") and not (k=="_created_at" and r["_status"]=="draft")}, sort_keys=True)) for r in rows]' | sort >"$tmp/b.$f"
  cmp -s "$tmp/a.$f" "$tmp/b.$f" || { echo "demo is not deterministic for $f"; exit 1; }
done
echo "store_demo: ok"
