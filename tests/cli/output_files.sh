#!/usr/bin/env bash
# Files that export and import write (docs/cli.md, "Output files"): never over
# a workspace, a database or the command's own input; an existing file only
# with --force; devices and FIFOs written in place; 0600 for sensitive
# exports and reject files; nothing written or left behind on refusal.
# Usage: bash output_files.sh SKEMA_BINARY SOURCE_DIR
source "$2/tests/cli/lib/output_setup.sh" "$1"

# --- nothing a command writes may land on a workspace or an input ---
printf 'label,count\nok,1\nbad,notanumber\n' >src.csv
src_sha=$(sha src.csv)
ws_sha=$(sha $ws)
other_sha=$(sha other.skema)
ln -s $ws link.skema
ln $ws hard.skema
ln -s src.csv src-link.csv
for target in $ws ./$ws "$tmp/$ws" link.skema hard.skema other.skema; do
  for force in "" --force; do
    expect_rc 3 "$skema" import $ws t.out src.csv --skip-invalid $target $force
    said "$target: is a Skema workspace; not overwriting it"
    said "nothing was imported"
    for fmt in csv jsonl xlsx sav dta codebook-md codebook-html; do
      expect_rc 3 "$skema" export $ws t.out --format $fmt --out $target $force
      said "$target: is a Skema workspace; not overwriting it"
    done
  done
done
[[ $(sha $ws) == "$ws_sha" && $(sha other.skema) == "$other_sha" ]] || fail "a workspace was changed"
[[ $(sqlite3 $ws "pragma integrity_check") == ok && $(records) == 4 ]] || fail "the workspace does not read as before"
[[ -L link.skema ]] || fail "the symlink was replaced"
for target in src.csv ./src.csv src-link.csv; do
  for force in "" --force; do
    expect_rc 3 "$skema" import $ws t.out src.csv --skip-invalid $target $force
    said "$target: is the file being imported; not overwriting it"
  done
done
expect_rc 3 "$skema" import $ws t.out - --skip-invalid src.csv --force <src.csv
said "src.csv: is the file being imported"
[[ $(sha src.csv) == "$src_sha" && $(records) == 4 ]] || fail "the import source was changed, or rows imported"
# Another program's database, a workspace's companion files, a folder.
sqlite3 app.db "create table t(a); insert into t values (1)"
db_sha=$(sha app.db)
expect_rc 3 "$skema" export $ws t.out --out app.db --force
said "app.db: is an SQLite database; not overwriting it"
[[ $(sha app.db) == "$db_sha" ]] || fail "another program's database was changed"
for side in $ws-wal $ws-shm $ws-journal; do
  expect_rc 3 "$skema" export $ws t.out --out $side --force
  said "$side: belongs to the Skema workspace $ws"
done
mkdir folder
expect_rc 3 "$skema" export $ws t.out --out folder --force
said "folder: is a folder"
no_part

# An existing ordinary file only with --force.
echo "keep me" >x.csv
expect_rc 3 "$skema" export $ws t.out --out x.csv
said "x.csv: exists; use --force to replace it"
expect_rc 3 "$skema" export $ws t.out --format sav --out x.csv
[[ $(cat x.csv) == "keep me" ]] || fail "an existing file was replaced without --force"
expect_rc 0 "$skema" export $ws t.out --out x.csv --force
head -1 x.csv | grep -q '^_id,' || fail "--force did not replace the file"
ln -s x.csv x-link.csv
expect_rc 0 "$skema" export $ws t.out --format jsonl --out x-link.csv --force
[[ -L x-link.csv ]] && head -c1 x.csv | grep -q '{' || fail "--force through a symlink: not the file it names"
expect_rc 0 "$skema" import $ws t.out src.csv --skip-invalid rejects.csv
expect_rc 3 "$skema" import $ws t.out src.csv --skip-invalid rejects.csv
said "rejects.csv: exists; use --force to replace it"
[[ $(records) == 5 ]] || fail "a refused reject file still imported rows"
expect_rc 0 "$skema" import $ws t.out src.csv --skip-invalid rejects.csv --force
[[ $(records) == 6 && $(tail -1 rejects.csv) == "bad,notanumber" ]] || fail "reject file with --force"
# A .part left by an interrupted export is not taken over without --force.
echo "half" >y.csv.part
expect_rc 3 "$skema" export $ws t.out --out y.csv
said "y.csv.part: exists"
expect_rc 0 "$skema" export $ws t.out --out y.csv --force
[[ -f y.csv && ! -e y.csv.part ]] || fail "--force did not replace a stale .part"
no_part

# Devices and FIFOs are written in place, never renamed over.
for fmt in csv xlsx sav; do
  mkfifo pipe
  cat pipe >"got.$fmt" &
  reader=$!
  if expect_rc 0 "$skema" export $ws t.out --format $fmt --out pipe && [[ -p pipe ]]; then
    wait $reader
  else
    [[ -p pipe ]] || fail "$fmt: the FIFO was replaced"
    kill $reader; wait $reader  # it never got a writer
  fi
  [[ -s "got.$fmt" ]] || fail "$fmt: nothing came through the FIFO"
  rm -f pipe
done
head -1 got.csv | grep -q '^_id,' || fail "the CSV through the FIFO"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' got.xlsx || fail "the xlsx through the FIFO is no zip"
# /dev/stdout is our own descriptor, whatever the shell opened for it.
for fmt in csv xlsx; do
  expect_rc 0 "$skema" export $ws t.out --format $fmt --out /dev/stdout
  [[ -s "$tmp/out" ]] || fail "$fmt to /dev/stdout redirected to a file: nothing written"
done
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' "$tmp/out" || fail "xlsx to /dev/stdout is no zip"
ws_sha=$(sha $ws)
"$skema" export $ws t.out --out /dev/stdout >>$ws 2>/dev/null
[[ $? -eq 3 && $(sha $ws) == "$ws_sha" ]] || fail "export to /dev/stdout appended to a workspace"
if mknod null c 1 3 2>/dev/null; then
  for fmt in csv xlsx dta; do
    expect_rc 0 "$skema" export $ws t.out --format $fmt --out null
    [[ -c null ]] || fail "$fmt: the device was replaced"
  done
fi
no_part

# Sensitive exports and reject files are private from the start.
expect_rc 0 "$skema" export $ws t.out --out s.csv --include-sensitive notes
expect_rc 0 "$skema" export $ws t.out --format xlsx --out s.xlsx --include-sensitive notes
expect_rc 0 "$skema" export $ws t.out --format sav --out s.sav --include-sensitive notes
expect_rc 0 "$skema" export $ws t.out --format sav --out p.sav
for f in s.csv s.xlsx s.sav rejects.csv; do
  [[ $(stat -c %a $f) == 600 ]] || fail "$f has mode $(stat -c %a $f), not 600"
done
[[ $(stat -c %a p.sav) == 644 ]] || fail "an export without sensitive fields is not 644"

no_part
[[ $fails -eq 0 ]] && echo "output_files: ok"
exit $((fails > 0))
