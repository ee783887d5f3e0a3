/* A library whose static constructor ends the program with exit(7) while
   dlopen loads it: the host cannot prevent that, but must say which plugin
   did it (tests/cli/plugins_exit.sh, test_plugin_loader.cpp). Built into a
   folder of its own so that loading the other test plugins is unaffected. */
#include <stdlib.h>

__attribute__((constructor)) static void endTheProgram(void) { exit(7); }
