#!/usr/bin/env bash
# A workspace that is damaged, changed behind Skema's back, not a file,
# read-only or on a full disk: each gets a clear message and a non-zero exit
# (reading stays possible where it can), and nothing is changed.
# Usage: bash workspace_safety.sh SKEMA_BINARY SOURCE_DIR
skema="$1"
source "$2/tests/cli/lib/common.sh"
mnt="$tmp/mnt"
trap 'umount "$mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
expect_err() {  # expect_err TEXT: the last command's stderr holds TEXT
  grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1': $(cat "$tmp/err")"
}
export SKEMA_USER=tester

ws="$tmp/d.skema"
"$skema" demo "$ws" --records 40 >/dev/null 2>&1 || fail "demo"
expect_rc 0 "$skema" audit verify "$ws"

# --- a record changed with sqlite3, past Skema's audit log -----------------
cp "$ws" "$tmp/changed.skema"
id=$(sqlite3 "$tmp/changed.skema" "SELECT id FROM records WHERE form_id='outreach.visit' AND status=1 LIMIT 1")
sqlite3 "$tmp/changed.skema" "UPDATE records SET data=json_set(data,'\$.people_met',49) WHERE id='$id'"
expect_rc 0 sqlite3 "$tmp/changed.skema" "PRAGMA integrity_check"
expect_rc 1 "$skema" audit verify "$tmp/changed.skema"
expect_err "record $id: field people_met is 49 in the record"
grep -qF "first differing record: $id" "$tmp/out" || fail "verify does not name the record: $(cat "$tmp/out")"
# status flipped, and a record inserted without any audit row
cp "$ws" "$tmp/status.skema"
sqlite3 "$tmp/status.skema" "UPDATE records SET status=0 WHERE id='$id'"
expect_rc 1 "$skema" audit verify "$tmp/status.skema"
expect_err "the status is draft in the record but final"
cp "$ws" "$tmp/extra.skema"
sqlite3 "$tmp/extra.skema" "INSERT INTO records(id, form_id, form_version, status, created_at, created_by, updated_at,
  updated_by, deleted, revision, data) SELECT '00000000-0000-4000-8000-000000000000', form_id, form_version, status,
  created_at, created_by, updated_at, updated_by, 0, revision, data FROM records WHERE id='$id'"
expect_rc 1 "$skema" audit verify "$tmp/extra.skema"
expect_err "00000000-0000-4000-8000-000000000000: it has no audit history"

# a record whose stored JSON is damaged: named, never an abort
cp "$ws" "$tmp/badjson.skema"
sqlite3 "$tmp/badjson.skema" "UPDATE records SET data='{broken' WHERE id='$id'"
expect_rc 3 "$skema" records list "$tmp/badjson.skema" outreach.visit
expect_err "record $id: its stored values are damaged"
expect_rc 1 "$skema" audit verify "$tmp/badjson.skema"
expect_err "record $id: its stored values are damaged"

# --- not a regular file: a FIFO would block forever -------------------------
mkfifo "$tmp/fifo"
expect_rc 3 timeout 10 "$skema" records list "$tmp/fifo" outreach.visit
expect_err "not a regular file (a pipe)"

# --- damaged files: said so, with SQLite's reason ---------------------------
head -c 50 "$ws" >"$tmp/cut.skema"
expect_rc 3 "$skema" records list "$tmp/cut.skema" outreach.visit
expect_err "the workspace is damaged"
cp "$ws" "$tmp/dmg.skema"
printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$tmp/dmg.skema" bs=1 seek=100 conv=notrunc 2>/dev/null
sum=$(sha256sum <"$tmp/dmg.skema")
expect_rc 3 "$skema" records list "$tmp/dmg.skema" outreach.visit
expect_err "the workspace is damaged (SQLite: database disk image is malformed)"
[[ $(sha256sum <"$tmp/dmg.skema") == "$sum" ]] || fail "a damaged workspace was changed by opening it"
: >"$tmp/empty.skema"
expect_rc 3 "$skema" records list "$tmp/empty.skema" outreach.visit
expect_err "an empty file, not a Skema workspace"
[[ ! -s "$tmp/empty.skema" ]] || fail "an empty file was written to"
# Skema's id and format 1, but none of its tables
sqlite3 "$tmp/v1.skema" "PRAGMA application_id=1397443905; PRAGMA user_version=1; CREATE TABLE other(x)"
expect_rc 3 "$skema" records list "$tmp/v1.skema" outreach.visit
expect_err "the workspace is damaged (format 1 but its table meta is missing)"
[[ $(sqlite3 "$tmp/v1.skema" "PRAGMA user_version") == 1 ]] || fail "format-1 file was changed"

# --- read-only and full file systems (a private mount namespace) -----------
cat >"$tmp/ns.sh" <<NS
set -u
mkdir -p "$mnt"
mount -t tmpfs -o size=2m tmpfs "$mnt" || exit 90
cp "$ws" "$mnt/ro.skema"
mount -o remount,ro "$mnt" || exit 91
"$skema" records list "$mnt/ro.skema" outreach.visit >"$tmp/ro.list" 2>"$tmp/ro.err"; echo "list \$?"
"$skema" audit verify "$mnt/ro.skema" >/dev/null 2>&1; echo "verify \$?"
"$skema" export "$mnt/ro.skema" outreach.visit --format csv --out "$tmp/ro.csv" >/dev/null 2>&1; echo "export \$?"
"$skema" records add "$mnt/ro.skema" advisory.inquiry '{}' --draft >/dev/null 2>"$tmp/ro.add"; echo "add \$?"
mount -o remount,rw "$mnt"
rm "$mnt/ro.skema"
cp "$ws" "$mnt/full.skema"
dd if=/dev/zero of="$mnt/fill" bs=4k >/dev/null 2>&1
"$skema" records list "$mnt/full.skema" outreach.visit >/dev/null 2>"$tmp/full.err"; echo "full \$?"
"$skema" init "$mnt/new.skema" >/dev/null 2>"$tmp/init.err"; echo "init \$?"
ls -A "$mnt" >"$tmp/full.ls"
rm "$mnt/fill"
"$skema" audit verify "$mnt/full.skema" >/dev/null 2>&1; echo "after \$?"
umount "$mnt"
NS
unshare -m bash "$tmp/ns.sh" >"$tmp/ns.out" 2>&1
grep -qx "list 0" "$tmp/ns.out" || fail "read-only workspace cannot be listed: $(cat "$tmp/ns.out" "$tmp/ro.err")"
grep -qF "is read-only; opened for reading" "$tmp/ro.err" || fail "no read-only note: $(cat "$tmp/ro.err")"
grep -q "final" "$tmp/ro.list" || fail "read-only list is empty"
grep -qx "verify 0" "$tmp/ns.out" || fail "read-only workspace cannot be verified"
grep -qx "export 0" "$tmp/ns.out" || fail "read-only workspace cannot be exported"
[[ -s "$tmp/ro.csv" ]] || fail "read-only export wrote nothing"
grep -qx "add 3" "$tmp/ns.out" || fail "a save into a read-only workspace: $(cat "$tmp/ns.out" "$tmp/ro.add")"
grep -qF "read-only" "$tmp/ro.add" || fail "save refusal does not say read-only: $(cat "$tmp/ro.add")"
grep -qx "full 3" "$tmp/ns.out" || fail "open on a full disk: $(cat "$tmp/ns.out")"
grep -qF "the disk holding the workspace is full" "$tmp/full.err" || fail "full disk not named: $(cat "$tmp/full.err")"
grep -qx "init 3" "$tmp/ns.out" || fail "init on a full disk: $(cat "$tmp/ns.out")"
grep -qF "the disk is full" "$tmp/init.err" || fail "init: full disk not named: $(cat "$tmp/init.err")"
grep -q "new.skema" "$tmp/full.ls" && fail "init on a full disk left a file: $(cat "$tmp/full.ls")"
grep -qx "after 0" "$tmp/ns.out" || fail "workspace unsound after the full disk: $(cat "$tmp/ns.out")"

[[ $fails -eq 0 ]] && echo "workspace_safety: all passed" || echo "workspace_safety: $fails failed"
[[ $fails -eq 0 ]]
