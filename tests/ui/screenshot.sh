#!/bin/bash
# skema --screenshot under Xvfb writes a non-empty PNG of the requested size.
set -u
skema=$1
out=$2
rm -f "$out/ui_entry.png" "$out/ui_home.png"
xvfb-run -a "$skema" --screenshot "$out/ui_entry.png" --size 1024x700 --view entry:outreach.visit --lang da --frames 4 || { echo "skema --screenshot failed"; exit 1; }
xvfb-run -a "$skema" --screenshot "$out/ui_home.png" --size 800x600 --lang en || { echo "skema --screenshot (home) failed"; exit 1; }
for f in "$out/ui_entry.png" "$out/ui_home.png"; do
  [ -s "$f" ] || { echo "no PNG at $f"; exit 1; }
  head -c 8 "$f" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' || { echo "$f is not a PNG"; exit 1; }
done
# Width and height from the IHDR chunk.
dims=$(od -An -tu1 -j16 -N8 "$out/ui_entry.png" | awk '{print $3*256+$4 "x" $7*256+$8}')
[ "$dims" = "1024x700" ] || { echo "unexpected size $dims"; exit 1; }
# A bad view is refused.
if xvfb-run -a "$skema" --screenshot "$out/bad.png" --view entry:no.such.form 2>/dev/null; then
  echo "unknown view accepted"; exit 1
fi
echo ok
