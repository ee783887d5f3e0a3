#!/bin/bash
# End to end: the real workbench in Xvfb, driven by xdotool key presses,
# enters and finalises a record; the headless CLI then finds it in the
# workspace.
set -u
skema=$1
src=$2
command -v xdotool >/dev/null || { echo "xdotool missing: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/cfg/skema"
echo '{"user_name":"Test Person","user_initials":"TP","lang":"da"}' > "$tmp/cfg/skema/settings.json"
export XDG_CONFIG_HOME=$tmp/cfg XDG_DATA_HOME=$tmp/data SKEMA_SCREENSHOT_DIR=$tmp
export SKEMA_FORMS_DIR=$src/tests/data/ui
"$skema" init "$tmp/ws.skema" >/dev/null || { echo "init failed"; exit 1; }

cat > "$tmp/drive.sh" <<DRIVE
#!/bin/bash
"$skema" --workspace "$tmp/ws.skema" --view entry:uitest.visit --size 1100x760 &
pid=\$!
for i in \$(seq 50); do xdotool search --name '^Skema$' >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
# Prime the modifiers: under Xvfb without a window manager xdotool now and
# then loses the first modifier chord of a session.
xdotool key ctrl; xdotool key shift; sleep 0.2
xdotool type --delay 40 "26-11-2026"; sleep 0.2
xdotool key Tab; sleep 0.2
xdotool type "3"; sleep 0.2          # office: Aarhus
xdotool key Tab; sleep 0.2
xdotool type --delay 40 "taast"; sleep 0.3   # ASCII only: xdotool remaps keys for æøå
xdotool key Return; sleep 0.3        # municipality: Høje-Taastrup
xdotool type --delay 40 "17"; sleep 0.2
xdotool key Return; sleep 0.2        # contacts
xdotool type "2"; sleep 0.2          # topics: toggle housing
xdotool key Tab; sleep 0.2
xdotool type "2"; sleep 0.2          # referred: no -> referral_to hidden
xdotool key Tab; sleep 0.2
xdotool type "6"; sleep 0.2          # wellbeing
for try in 1 2 3; do                 # finalise (Ctrl+S), checked through the CLI
  # Ctrl is held across several frames: a chord sent in one burst can fall
  # between two frames of a busy machine and be seen without its modifier.
  xdotool keydown ctrl; sleep 0.3; xdotool key s; sleep 0.3; xdotool keyup ctrl; sleep 1.5
  "$skema" records list "$tmp/ws.skema" uitest.visit 2>/dev/null | grep -q final && break
done
xdotool key F12; sleep 0.5
# Ctrl+Q quits. (Under Xvfb without a window manager xdotool sometimes
# loses a first modifier chord, so it is sent up to three times.)
for try in 1 2 3; do
  xdotool keydown ctrl; sleep 0.3; xdotool key q; sleep 0.3; xdotool keyup ctrl
  for i in \$(seq 25); do kill -0 \$pid 2>/dev/null || break 2; sleep 0.2; done
done
# Known flake: now and then every Ctrl+Q chord is lost under Xvfb+xdotool
# (no window manager); the data checks below are what this test is about.
kill \$pid 2>/dev/null && echo "note: workbench did not see Ctrl+Q; stopped it"
wait \$pid
DRIVE
chmod +x "$tmp/drive.sh"
xvfb-run -a -s "-screen 0 1100x760x24" "$tmp/drive.sh" || { cp "$tmp"/skema-*.png "${TMPDIR:-/tmp}/" 2>/dev/null; echo "driving the workbench failed (screenshot kept in ${TMPDIR:-/tmp})"; exit 1; }
[ -s "$tmp/skema-1.png" ] || { echo "no F12 screenshot"; exit 1; }
out=$("$skema" records list "$tmp/ws.skema" uitest.visit 2>&1)
echo "$out"
echo "$out" | grep -q "final" || { echo "no final record"; exit 1; }
for want in '"visit_date":"2026-11-26"' '"office":"aar"' '"municipality":"169"' '"contacts":17' \
            '"topics":"housing"' '"referred":"no"' '"wellbeing":6' '"total":34'; do
  echo "$out" | grep -q "$want" || { echo "missing $want"; exit 1; }
done
echo ok
