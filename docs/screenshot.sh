#!/usr/bin/env bash
# Makes docs/screenshot.png: the demo project open in ImageJ on a virtual display.
# Needs: mvn package done, Xvfb and ImageMagick (apt-get install xvfb imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."
java -jar target/labelloop.jar demo --no-imagej
export DISPLAY=:93 HOME=$(mktemp -d)
Xvfb $DISPLAY -screen 0 1400x900x24 -nolisten tcp & xvfb=$!
trap 'kill $xvfb' EXIT
sleep 1
folder=$(realpath target/demo-project)
java -Dplugins.dir=target/demo-project-imagej -cp target/labelloop.jar ij.ImageJ -port0 -eval "
run('Open Project', 'folder=[$folder]');
run('Next Image', 'mode=sequential');
id = getImageID();
run('Set... ', 'zoom=200');
for (i = 0; i < 6; i++) { roiManager('select', i); run('Set Class', 'class=coin'); }
roiManager('select', 7); run('Set Class', 'class=artefact');
run('Select None');
selectImage(id); setLocation(10, 80);
selectWindow('ROI Manager'); setLocation(1000, 110);
selectWindow('Log'); setLocation(1000, 500);
" & ij=$!
sleep 12
import -window root docs/screenshot.png
kill $ij
