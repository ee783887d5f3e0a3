// The plugin loader against purpose-built plugins (tests/plugin_loader/plugins):
// every refusal with its message, init failures cleaned up, registrations
// gone after unload, and calls through the registry and the expression
// language with an in-memory RecordSource.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <elf.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "expr/evaluator.h"
#include "expr/functions.h"
#include "form/form.h"
#include "plugin/expr_bridge.h"
#include "plugin/host_api.h"
#include "plugin/plugin_loader.h"
#include "plugin/plugin_registry.h"
#include "plugin/record_source.h"

namespace fs = std::filesystem;
using namespace skema::plugin;

namespace {

std::string pluginPath(const std::string& name) {
  return std::string(SKEMA_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

// A log line containing `text`, from `plugin` when given.
bool logHas(const PluginLoader& loader, const std::string& text, const std::string& plugin = "") {
  for (const auto& l : loader.log())
    if ((plugin.empty() || l.plugin == plugin) && l.message.find(text) != std::string::npos) return true;
  return false;
}

MemoryRecordSource sampleRecords() {
  MemoryRecordSource src;
  auto rec = [](const char* id, const char* form, const char* created, const char* office) {
    return nlohmann::json{{"id", id},           {"form", form},
                          {"version", 1},       {"status", "final"},
                          {"person", "P-1"},    {"created_at", created},
                          {"values", {{"office", office}}}};
  };
  src.add(rec("r1", "test.visit", "2024-01-10T09:00:00Z", "AAR"));
  src.add(rec("r2", "test.visit", "2024-02-10T09:00:00Z", "CPH"));
  src.add(rec("r3", "test.visit", "2024-03-10T09:00:00Z", "AAR"));
  src.add(rec("r4", "test.call", "2024-02-11T09:00:00Z", "AAR"));
  return src;
}

}  // namespace

TEST_CASE("the ABI version packs major and minor") {
  CHECK(SKEMA_PLUGIN_ABI_MAKE(2, 3) == 0x20003u);
  CHECK(SKEMA_PLUGIN_ABI_GET_MAJOR(SKEMA_PLUGIN_ABI_MAKE(2, 3)) == 2);
  CHECK(SKEMA_PLUGIN_ABI_GET_MINOR(SKEMA_PLUGIN_ABI_MAKE(2, 3)) == 3);
  CHECK(abiText(SKEMA_PLUGIN_ABI_VERSION) ==
        std::to_string(SKEMA_PLUGIN_ABI_MAJOR) + "." + std::to_string(SKEMA_PLUGIN_ABI_MINOR));
}

TEST_CASE("a good plugin loads and registers its content") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  auto st = loader.loadFile(pluginPath("good"));
  REQUIRE_MESSAGE(st.loaded, st.reason);
  CHECK(st.id == "good");
  CHECK(st.name == "Good");
  CHECK(st.version == "1.2.3");
  CHECK(st.abi == SKEMA_PLUGIN_ABI_VERSION);
  CHECK(st.line() == "loaded  good  1.2.3  ABI " + abiText(SKEMA_PLUGIN_ABI_VERSION) + "  " +
                         pluginPath("good"));
  CHECK(loader.isLoaded("good"));
  CHECK(reg.hasIndicator("good.count"));
  CHECK(reg.hasIndicator("good.by_form"));
  CHECK(reg.hasFunction("good-add"));
  CHECK(reg.hasView("good.view.main"));
  REQUIRE(reg.forms().size() == 1);
  CHECK(reg.forms()[0].form->id == "good.form");
  CHECK(reg.forms()[0].owner == "good");
  CHECK(logHas(loader, "invalid form refused", "good"));
  CHECK(logHas(loader, "good.bad.json", "good"));  // the form's diagnostics, logged
  // translate without a translator gives the key back
  CHECK(logHas(loader, "ready; good.greeting", "good"));

  auto inds = reg.indicators();
  REQUIRE(inds.size() == 3);
  CHECK(inds[0].id == "good.by_form");
  CHECK(pickLabel(inds[1].labels, "da", "?") == "Besøg");
  CHECK(pickLabel(inds[1].labels, "de", "?") == "Visits");
  CHECK(pickLabel(inds[0].labels, "da", "good.by_form") == "good.by_form");
}

TEST_CASE("indicators compute through the query API") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);
  auto records = sampleRecords();

  auto r = reg.computeIndicator("good.count", {}, records);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.value.kind == PluginValue::Kind::Number);
  CHECK(r.value.number == 3);

  IndicatorArgs feb;
  feb.periodFrom = "2024-02-01";
  feb.periodTo = "2024-03-31";
  CHECK(reg.computeIndicator("good.count", feb, records).value.number == 2);
  feb.office = "AAR";
  CHECK(reg.computeIndicator("good.count", feb, records).value.number == 1);

  r = reg.computeIndicator("good.by_form", {}, records);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.value.kind == PluginValue::Kind::Json);
  auto table = nlohmann::json::parse(r.value.text);
  CHECK(table["rows"] == nlohmann::json::parse(R"([["test.call",1],["test.visit",3]])"));

  r = reg.computeIndicator("good.throws", {}, records);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "indicator 'good.throws' threw: compute exploded");

  r = reg.computeIndicator("nope", {}, records);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "unknown indicator 'nope'");
}

TEST_CASE("expression functions are called through the registry") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);

  auto r = reg.callFunction("good-add", {PluginValue::num(2), PluginValue::str("40")});
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.value.number == 42);
  CHECK(r.value.text == "42");

  r = reg.callFunction("good-lookup", {PluginValue::str("K02")});
  CHECK(r.value.text == "Klinik Syd");

  r = reg.callFunction("good-add", {PluginValue::num(2)});
  CHECK_FALSE(r.ok);
  CHECK(r.error == "function good-add() takes 2 arguments, got 1");

  r = reg.callFunction("good-fail", {});
  CHECK_FALSE(r.ok);
  CHECK(r.error == "good-fail() always fails");

  r = reg.callFunction("good-throw", {});
  CHECK_FALSE(r.ok);
  CHECK(r.error == "function good-throw() threw: good-throw() threw");
}

TEST_CASE("views draw through the registry") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);
  ViewDrawContext ctx;
  CHECK(reg.drawView("good.view.main", ctx) == "");
  CHECK(reg.drawView("good.view.other", ctx) == "unknown view 'good.view.other'");
  auto views = reg.views();
  REQUIRE(views.size() == 1);
  CHECK(pickLabel(views[0].titles, "da", "") == "God");
}

TEST_CASE("plugin functions work inside expressions and go with the plugin") {
  skema::expr::FunctionRegistry functions;
  functions.addBuiltins();
  ExprFunctionSink sink(functions);
  PluginRegistry reg;
  reg.setFunctionSink(&sink);
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);
  REQUIRE(functions.find("good-lookup") != nullptr);
  CHECK(functions.find("good-lookup")->owner == "good");

  auto def = functions.find("good-add");
  REQUIRE(def);
  skema::expr::EvalContext ctx;
  skema::expr::CallContext call{ctx};
  std::vector<skema::expr::Value> args = {skema::expr::Value::number(1.5),
                                          skema::expr::Value::string("2")};
  auto v = def->fn(call, args);
  CHECK(v.isNumber());
  CHECK(v.num == 3.5);

  // a whole expression, as a form's calculation would use it
  skema::expr::VarTable vars;
  vars.functions = &functions;
  vars.set("clinic", skema::expr::Value::string("K01"));
  auto res = skema::expr::evaluateText("concat(good-lookup(${clinic}), ' / ', good-add(1, 2))", vars);
  REQUIRE_MESSAGE(res.ok, res.error);
  CHECK(res.value.toString() == "Klinik Nord / 3");
  res = skema::expr::evaluateText("good-fail()", vars);
  CHECK_FALSE(res.ok);
  CHECK(res.error.find("good-fail() always fails") != std::string::npos);

  CHECK(loader.unload("good"));
  res = skema::expr::evaluateText("good-lookup('K01')", vars);
  CHECK_FALSE(res.ok);
  CHECK(res.error.find("good-lookup") != std::string::npos);
  CHECK(functions.find("good-add") == nullptr);
  CHECK(functions.find("good-lookup") == nullptr);
  CHECK((functions.find("upper") != nullptr || functions.find("concat") != nullptr));
  // An entry held past the unload refuses to call into the unloaded code.
  CHECK_THROWS_WITH_AS(def->fn(call, args), "function good-add() was unloaded with plugin good",
                       skema::expr::EvalError);
}

TEST_CASE("a plugin function may not take a built-in's name") {
  skema::expr::FunctionRegistry functions;
  functions.addBuiltins();
  skema::expr::FunctionDef taken;
  taken.name = "good-add";
  taken.owner = "core";
  taken.fn = [](const skema::expr::CallContext&, std::span<const skema::expr::Value>) {
    return skema::expr::Value::number(0);
  };
  REQUIRE(functions.add(taken));
  ExprFunctionSink sink(functions);
  PluginRegistry reg;
  reg.setFunctionSink(&sink);
  PluginLoader loader(reg);
  auto st = loader.loadFile(pluginPath("good"));
  CHECK_FALSE(st.loaded);
  CHECK(st.reason == "init failed: could not register good-add (code 3)");
  CHECK(reg.countOwned("good") == 0);
  CHECK(functions.find("good-add")->owner == "core");
}

TEST_CASE("unloading clears every registration before dlclose") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);
  CHECK(reg.countOwned("good") == 3 + 4 + 1 + 1);
  CHECK(loader.unload("good"));
  CHECK_FALSE(loader.isLoaded("good"));
  CHECK(reg.countOwned("good") == 0);
  CHECK_FALSE(reg.hasIndicator("good.count"));
  CHECK_FALSE(reg.hasFunction("good-add"));
  CHECK_FALSE(reg.hasView("good.view.main"));
  CHECK(reg.forms().empty());
  CHECK(reg.indicators().empty());
  CHECK(reg.functions().empty());
  CHECK(reg.views().empty());
  CHECK(logHas(loader, "shutdown", "good"));
  CHECK(logHas(loader, "registration during shutdown refused", "good"));
  CHECK(logHas(loader, "late registration refused", "good"));
  CHECK_FALSE(reg.hasFunction("good-late"));
  CHECK(logHas(loader, "unloaded "));
  CHECK(loader.statuses().empty());
  CHECK_FALSE(loader.unload("good"));
  // and it loads again
  CHECK(loader.loadFile(pluginPath("good")).loaded);
}

TEST_CASE("a plugin built for an older minor loads and finds the newer host functions") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  auto st = loader.loadFile(pluginPath("older_minor"));
  REQUIRE_MESSAGE(st.loaded, st.reason);
  CHECK(st.abi == SKEMA_PLUGIN_ABI_MAKE(SKEMA_PLUGIN_ABI_MAJOR, 0));
  CHECK(st.line().find("ABI " + std::to_string(SKEMA_PLUGIN_ABI_MAJOR) + ".0") != std::string::npos);
  bool asked = false;
  for (const auto& l : loader.log()) asked |= l.plugin == "older_minor" && l.message == "choice_label: the name";
  CHECK(asked);  // SKEMA_HOST_HAS found ABI 1.1's choice_label, which answered with the name
}

TEST_CASE("refusals, each with its message, without running init") {
  unsetenv("SKEMA_TEST_INIT_CALLED");
  PluginRegistry reg;
  PluginLoader loader(reg);
  REQUIRE(loader.loadFile(pluginPath("good")).loaded);
  const std::string host = abiText(SKEMA_PLUGIN_ABI_VERSION);

  SUBCASE("wrong ABI major") {
    auto st = loader.loadFile(pluginPath("wrong_major"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "built for plugin ABI 2.0; this Skema has ABI " + host);
    CHECK(st.line() == "refused wrong_major.so: built for plugin ABI 2.0; this Skema has ABI " + host);
  }
  SUBCASE("newer minor") {
    auto st = loader.loadFile(pluginPath("newer_minor"));
    CHECK_FALSE(st.loaded);
    std::string newer = std::to_string(SKEMA_PLUGIN_ABI_MAJOR) + "." +
                        std::to_string(SKEMA_PLUGIN_ABI_MINOR + 1);
    CHECK(st.reason == "built for plugin ABI " + newer + ", newer than this Skema's ABI " + host);
  }
  SUBCASE("too small a descriptor") {
    auto st = loader.loadFile(pluginPath("too_small"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "descriptor too small (8 bytes; ABI " + host + " needs at least " +
                           std::to_string(SKEMA_PLUGIN_INFO_MIN_SIZE) + ")");
  }
  SUBCASE("not a plugin") {
    auto st = loader.loadFile(pluginPath("not_a_plugin"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "not a Skema plugin: no skema_plugin_entry symbol");
  }
  SUBCASE("not even a shared library") {
    fs::path dir = fs::temp_directory_path() / ("skema-plugin-test-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "garbage.so") << "this is not an ELF file\n";
    auto st = loader.loadFile((dir / "garbage.so").string());
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "not a Skema plugin: not an ELF shared library");
    auto missing = loader.loadFile((dir / "missing.so").string());
    CHECK_FALSE(missing.loaded);
    CHECK(missing.reason == "not a Skema plugin: cannot open it: No such file or directory");
    auto folder = loader.loadFile(dir.string());
    CHECK(folder.reason == "not a Skema plugin: not a regular file");
    fs::remove_all(dir);
  }
  SUBCASE("invalid id") {
    auto st = loader.loadFile(pluginPath("bad_id"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "invalid plugin id 'Out Reach' (use lower-case letters, digits, '_' and '-')");
  }
  SUBCASE("duplicate id") {
    auto st = loader.loadFile(pluginPath("good_duplicate"));
    CHECK_FALSE(st.loaded);
    CHECK(st.id == "good");
    CHECK(st.reason == "duplicate plugin id 'good' (already loaded from " + pluginPath("good") + ")");
    // the first one is untouched
    CHECK(reg.hasIndicator("good.count"));
  }
  SUBCASE("init returns an error") {
    auto st = loader.loadFile(pluginPath("init_fails"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "init failed: settings file init_fails.json is missing");
    CHECK_FALSE(loader.isLoaded("init_fails"));
    CHECK_FALSE(reg.hasIndicator("init_fails.count"));  // registered before failing, cleared
    CHECK(reg.countOwned("init_fails") == 0);
  }
  SUBCASE("init throws") {
    auto st = loader.loadFile(pluginPath("init_throws"));
    CHECK_FALSE(st.loaded);
    CHECK(st.reason == "init threw: database of clinics not found");
    CHECK_FALSE(reg.hasFunction("init-throws-fn"));
    CHECK(reg.countOwned("init_throws") == 0);
  }
  CHECK(std::getenv("SKEMA_TEST_INIT_CALLED") == nullptr);
  CHECK(loader.isLoaded("good"));
  CHECK(reg.hasFunction("good-add"));
}

TEST_CASE("a folder loads in file-name order and refusals do not stop it") {
  PluginRegistry reg;
  PluginLoader loader(reg);
  int n = loader.loadAll({SKEMA_TEST_PLUGIN_DIR, SKEMA_TEST_PLUGIN_DIR, "/nonexistent/folder"});
  CHECK(n == 2);
  std::vector<std::string> lines;
  for (const auto& s : loader.statuses()) lines.push_back(s.file + (s.loaded ? " loaded" : " refused"));
  CHECK(lines == std::vector<std::string>{"bad_id.so refused", "good.so loaded", "good_duplicate.so refused",
                                          "init_fails.so refused", "init_throws.so refused",
                                          "newer_minor.so refused", "not_a_plugin.so refused",
                                          "older_minor.so loaded", "too_small.so refused", "wrong_major.so refused"});
  CHECK(loader.log().size() >= 9);
}

namespace {

// A scratch folder, removed again.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag)
      : path(fs::temp_directory_path() / ("skema-plugin-" + tag + "-" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string grouped(size_t n) {
  std::string d = std::to_string(n), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

}  // namespace

TEST_CASE("a truncated copy of a plugin is refused before dlopen, and the others load") {
  // dlopen maps segments past the end of a short file; touching them was a SIGBUS.
  const std::string whole = readAll(pluginPath("good"));
  REQUIRE(whole.size() > 3 * 4096);
  TempDir dir("truncated");
  const std::vector<size_t> lengths = {0, 40, 64, 1000, whole.size() / 2, whole.size() - 4096, whole.size() - 1};
  for (size_t n : lengths) writeAll(dir.path / ("good_" + std::to_string(n) + ".so"), whole.substr(0, n));
  fs::copy_file(pluginPath("older_minor"), dir.path / "older_minor.so");
  writeAll(dir.path / "zz_good.so", whole);

  PluginRegistry reg;
  PluginLoader loader(reg);
  CHECK(loader.loadDirectory(dir.path.string()) == 2);
  for (size_t n : lengths) {
    CAPTURE(n);
    const std::string file = "good_" + std::to_string(n) + ".so";
    const PluginStatus* st = nullptr;
    for (const auto& s : loader.statuses())
      if (s.file == file) st = &s;
    REQUIRE(st);
    CHECK_FALSE(st->loaded);
    const std::string head = "not a complete plugin: the file ends at " + grouped(n) + " bytes but its ";
    CHECK_MESSAGE(st->reason.rfind(head, 0) == 0, st->reason);
    CHECK(st->reason.size() > head.size());
    CHECK(st->reason.find(" (a partial copy?)") == st->reason.size() - 18);
    CHECK(logHas(loader, "refused " + (dir.path / file).string() + ": " + st->reason));
  }
  // What each length lacks first, in file order.
  auto reasonOf = [&](size_t n) {
    for (const auto& s : loader.statuses())
      if (s.file == "good_" + std::to_string(n) + ".so") return s.reason;
    return std::string();
  };
  CHECK(reasonOf(0).find("its ELF header needs 64 ") != std::string::npos);
  CHECK(reasonOf(40).find("its ELF header needs 64 ") != std::string::npos);
  CHECK(reasonOf(64).find("its program headers need ") != std::string::npos);
  CHECK(reasonOf(whole.size() / 2).find("its segments need ") != std::string::npos);
  CHECK(reasonOf(whole.size() - 1).find("its section headers need " + grouped(whole.size()) + " ") !=
        std::string::npos);
  CHECK(loader.isLoaded("good"));
  CHECK(loader.isLoaded("older_minor"));
}

TEST_CASE("an ELF file for another class, machine or type is refused before dlopen") {
  const std::string whole = readAll(pluginPath("good"));
  TempDir dir("foreign");
  auto patched = [&](size_t offset, std::initializer_list<unsigned char> bytes) {
    std::string b = whole;
    size_t i = offset;
    for (unsigned char c : bytes) b[i++] = char(c);
    const fs::path p = dir.path / ("p" + std::to_string(offset) + ".so");
    writeAll(p, b);
    return p.string();
  };
  PluginRegistry reg;
  PluginLoader loader(reg);
  CHECK(loader.loadFile(patched(EI_CLASS, {ELFCLASS32})).reason ==
        "not a Skema plugin: a 32-bit library; this Skema is 64-bit");
  CHECK(loader.loadFile(patched(EI_DATA, {ELFDATA2MSB})).reason ==
        "not a Skema plugin: built for the other byte order");
  CHECK(loader.loadFile(patched(offsetof(Elf64_Ehdr, e_type), {ET_EXEC, 0})).reason ==
        "not a Skema plugin: not a shared library (a program)");
  const std::string machine = loader.loadFile(patched(offsetof(Elf64_Ehdr, e_machine), {EM_S390, 0})).reason;
  CHECK_MESSAGE(machine.rfind("not a Skema plugin: built for s390x; this Skema runs on ", 0) == 0, machine);
  CHECK(loader.statuses().size() == 4);
}

TEST_CASE("a plugin that calls exit() while loading does not end the program without a word") {
  const std::string path = std::string(SKEMA_TEST_EXIT_PLUGIN_DIR) + "/exits_in_constructor.so";
  REQUIRE(fs::exists(path));
  int out[2];
  REQUIRE(pipe(out) == 0);
  std::fflush(nullptr);  // the child's exit flushes its copy of the buffers
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], STDERR_FILENO);
    close(out[0]);
    PluginRegistry reg;
    LoaderOptions lo;
    lo.log = [](int level, const std::string&, const std::string& message) {
      std::string line = "log " + std::to_string(level) + ": " + message + "\n";
      [[maybe_unused]] ssize_t n = write(STDERR_FILENO, line.data(), line.size());
    };
    PluginLoader loader(reg, lo);
    loader.loadFile(pluginPath("good"));  // loads; the marker is cleared after it
    loader.loadFile(path);                // does not return
    _exit(99);
  }
  close(out[1]);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, size_t(n));
  close(out[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 7);
  const std::string message =
      "plugin " + path + " ended the program while loading (its initialiser called exit(7))";
  CHECK_MESSAGE(text.find("skema: " + message + "\n") != std::string::npos, text);
  const std::string logged = "log " + std::to_string(SKEMA_LOG_ERROR) + ": " + message + "\n";
  CHECK_MESSAGE(text.find(logged) != std::string::npos, text);
  // once on stderr and once in the log: nothing about good.so, loaded before
  CHECK(text.find("ended the program") != text.rfind("ended the program"));
  CHECK(text.find("ended the program", text.find("ended the program") + 1) == text.rfind("ended the program"));
}

TEST_CASE("the search path: build folder, install folder, SKEMA_PLUGIN_PATH") {
  auto dirs = PluginLoader::searchPath("/opt/skema/bin", "/a:/b/c::/d");
  CHECK(dirs == std::vector<std::string>{"/opt/skema/bin/plugins", "/opt/skema/lib/skema/plugins",
                                         "/a", "/b/c", "/d"});
  CHECK(PluginLoader::searchPath("/x", nullptr).size() == 2);
  CHECK(!PluginLoader::executableDir().empty());
}

#ifdef SKEMA_HELLO_PLUGIN
TEST_CASE("the example plugin hello") {
  PluginRegistry reg;
  skema::expr::FunctionRegistry functions;
  functions.addBuiltins();
  ExprFunctionSink sink(functions);
  reg.setFunctionSink(&sink);
  PluginLoader loader(reg);
  auto st = loader.loadFile(SKEMA_HELLO_PLUGIN);
  REQUIRE_MESSAGE(st.loaded, st.reason);
  CHECK(st.id == "hello");
  CHECK(logHas(loader, "ready (indicator hello.count", "hello"));
  auto records = sampleRecords();
  CHECK(reg.computeIndicator("hello.count", {}, records).value.number == 4);
  IndicatorArgs jan;
  jan.periodTo = "2024-01-31";
  CHECK(reg.computeIndicator("hello.count", jan, records).value.number == 1);
  auto r = reg.callFunction("hello-upper", {PluginValue::str("Hej æøå, København!")});
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.value.text == "HEJ ÆØÅ, KØBENHAVN!");

  // through the expression language
  auto def = functions.find("hello-upper");
  REQUIRE(def);
  skema::expr::EvalContext ctx;
  skema::expr::CallContext call{ctx};
  std::vector<skema::expr::Value> args = {skema::expr::Value::string("abc")};
  CHECK(def->fn(call, args).str == "ABC");
  loader.unloadAll();
  CHECK(functions.find("hello-upper") == nullptr);
  CHECK(reg.indicators().empty());
}
#endif

// ---- The host table itself ---------------------------------------------------

namespace {
int noopCall(const skema_host_api*, const skema_value*, int, skema_result* r, void*) {
  r->value = PluginValue::num(1);
  return SKEMA_OK;
}
}  // namespace

TEST_CASE("the host table: size prefix, SKEMA_HOST_HAS, structs from older plugins") {
  PluginRegistry reg;
  skema_host host;
  host.pluginId = "older";
  host.registry = &reg;
  skema_host_api api = makeHostApi(&host);
  host.api = &api;
  CHECK(api.size == sizeof(skema_host_api));
  CHECK(api.abi_version == SKEMA_PLUGIN_ABI_VERSION);
  CHECK(SKEMA_HOST_HAS(&api, result_error));
  CHECK(SKEMA_HOST_HAS(&api, query_records));
  // a table from an older host that ends before query_records
  skema_host_api old = api;
  old.size = uint32_t(offsetof(skema_host_api, query_records));
  CHECK(SKEMA_HOST_HAS(&old, register_function));
  CHECK_FALSE(SKEMA_HOST_HAS(&old, query_records));

  // An older plugin's struct ends before is_volatile: the host must read it
  // as 0 whatever lies behind it (OBS's copy-into-zeroed-struct rule).
  struct {
    skema_function_info info;
    char junk[16];
  } mem;
  std::memset(&mem, 0xff, sizeof mem);
  mem.info.size = uint32_t(offsetof(skema_function_info, is_volatile));
  mem.info.name = "older-fn";
  mem.info.min_args = 0;
  mem.info.max_args = 0;
  mem.info.call = noopCall;
  mem.info.user = nullptr;
  // too small for ABI 1.0's function info: refused
  CHECK(api.register_function(api.host, &mem.info, mem.info.size) == SKEMA_ERR_INVALID);
  mem.info.is_volatile = 7;
  mem.info.size = sizeof(skema_function_info);
  CHECK(api.register_function(api.host, &mem.info, sizeof(skema_function_info)) == SKEMA_OK);
  REQUIRE(reg.functions().size() == 1);
  CHECK(reg.functions()[0].owner == "older");
  CHECK(reg.functions()[0].isVolatile);
  CHECK(api.register_function(api.host, &mem.info, sizeof(skema_function_info)) == SKEMA_ERR_DUPLICATE);

  // an indicator struct passed with a size larger than the host knows (a
  // future minor) keeps the fields the host knows
  struct {
    skema_indicator_info info;
    void* future;
  } bigger{};
  bigger.info.size = sizeof bigger;
  bigger.info.id = "older.count";
  bigger.info.compute = [](const skema_host_api* a, skema_query*, const skema_indicator_args*,
                           skema_result* r, void*) {
    a->result_json(r, "{\"columns\": [\"n\"], \"rows\": [[1]]}");
    return SKEMA_OK;
  };
  CHECK(api.register_indicator(api.host, &bigger.info, sizeof bigger) == SKEMA_OK);
  MemoryRecordSource none;
  auto r = reg.computeIndicator("older.count", {}, none);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.value.text == R"({"columns":["n"],"rows":[[1]]})");

  // bad input
  CHECK(api.register_view(api.host, nullptr, sizeof(skema_view_info)) == SKEMA_ERR_INVALID);
  CHECK(api.register_form_json(api.host, "{not json", "x.json") == SKEMA_ERR_INVALID);
  CHECK(std::string(api.translate(api.host, "some.key")) == "some.key");
  CHECK(reg.removeOwner("older") == 2);
}
