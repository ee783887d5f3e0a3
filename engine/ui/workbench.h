// The desktop workbench: entry points the `skema` host calls.
#pragma once
#include <string>
#include <vector>

namespace skema::ui {

// Runs the workbench window. Options (argv[1..]):
//   --workspace PATH        open this workspace (else the last used, else
//                           the default one under $XDG_DATA_HOME/skema)
//   --lang da|en            UI language
//   --screenshot FILE.png   render, write the framebuffer as PNG, exit
//   --size WxH              window size (default 1280x800)
//   --view VIEW             start view: home, entry:FORM_ID, browser:FORM_ID, designer:FORM_ID,
//                           record:RECORD_ID
//   --frames N              frames to render before the screenshot (default 6)
// Returns the process exit code; 3 when there is no display.
int runWorkbench(int argc, char** argv);

// `skema open PATH`: the workbench on the workspace at PATH.
int openCommand(const std::vector<std::string>& args);

}  // namespace skema::ui
