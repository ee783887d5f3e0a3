/* An ordinary shared library: no skema_plugin_entry. */
__attribute__((visibility("default"))) int not_a_plugin_answer(void);
__attribute__((visibility("default"))) int not_a_plugin_answer(void) { return 42; }
