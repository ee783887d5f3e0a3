// UI benchmarks: CPU time of one ImGui frame (NewFrame + draw + Render, no
// GPU) for
//   1. the entry view of a generated 300-field form (target <= 2 ms),
//   2. the record browser over N records (default 1,000,000; target <= 3 ms),
//      scrolled to the middle, rows already fetched, plus the time of the
//      page fetch when scrolling to a new place.
// Usage: bench_ui [--records N] [--workspace PATH (kept, reused)]
// Needs skema_ui (engine/ui/CMakeLists.txt links it into this target).
#if __has_include("views/entry_view.h")
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/fonts.h"
#include "keys.h"
#include "form/form_catalog.h"
#include "imgui.h"
#include "store/sqlite_store.h"
#include "views/browser_view.h"
#include "views/entry_logic.h"
#include "views/entry_view.h"

using namespace skema;
using Clock = std::chrono::steady_clock;

// CPU time of this thread, in ms (the figure the targets are about; wall
// time would include other processes on a shared machine).
double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
namespace fs = std::filesystem;

namespace {

nlohmann::json bigForm() {
  nlohmann::json fields = nlohmann::json::array();
  auto label = [](const std::string& s) { return nlohmann::json{{"da", "Felt " + s + " æøå"}, {"en", "Field " + s}}; };
  for (int i = 0; i < 300; ++i) {
    std::string n = "f" + std::to_string(i);
    nlohmann::json f = {{"name", n}, {"label", label(n)}};
    switch (i % 10) {
      case 0: case 1: case 2: f["type"] = "text"; break;
      case 3: case 4: f["type"] = "integer"; f["hint"] = {{"da", "Et tal"}, {"en", "A number"}}; break;
      case 5: f["type"] = "select_one"; f["choices"] = "five"; break;
      case 6: f["type"] = "select_multiple"; f["choices"] = "five"; break;
      case 7: f["type"] = "date"; break;
      case 8: f["type"] = "range"; f["min"] = 0; f["max"] = 10; break;
      default: f["type"] = "text"; f["required"] = true; f["relevant"] = "${f" + std::to_string(i - 6) + "} != 'c'"; break;
    }
    fields.push_back(f);
  }
  nlohmann::json choices = nlohmann::json::array();
  for (const char* c : {"a", "b", "c", "d", "e"}) choices.push_back({{"name", c}, {"label", {{"da", c}, {"en", c}}}});
  return {{"format", "skema-form/1"}, {"id", "bench.big"}, {"version", 1},
          {"title", {{"da", "Stort skema"}, {"en", "Big form"}}}, {"fields", fields}, {"choices", {{"five", choices}}}};
}

std::shared_ptr<const Form> loadJson(const nlohmann::json& j, const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path p = dir / "form.json";
  std::ofstream(p) << j.dump(2);
  Diagnostics diags;
  auto cat = loadFormCatalog({p.string()}, diags);
  if (cat.forms.empty()) {
    std::fprintf(stderr, "bench_ui: generated form does not load\n");
    std::exit(1);
  }
  return cat.forms[0];
}

struct Stats {
  double mean = 0, p50 = 0, p95 = 0, max = 0;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  s.p50 = v[v.size() / 2];
  s.p95 = v[v.size() * 95 / 100];
  s.max = v.back();
  return s;
}

template <typename F> std::vector<double> frames(int n, F&& draw) {
  std::vector<double> ms;
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < n; ++i) {
    const double t0 = cpuMs();
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("##bench", nullptr, ImGuiWindowFlags_NoDecoration);
    draw(i);
    ImGui::End();
    ImGui::Render();
    ms.push_back(cpuMs() - t0);
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  long long nrecords = 1000000;
  std::string wsPath;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--records") nrecords = std::atoll(argv[i + 1]);
    else if (a == "--workspace") wsPath = argv[i + 1];
  }
  const fs::path tmp = fs::temp_directory_path() / "skema_bench_ui";

  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1280, 800);
  ui::UiContext ctx;
  ui::setupKeyMap();
  ctx.tr.loadDir(SKEMA_SOURCE_DIR "/assets/lang");
  ctx.setLanguage("da");
  ui::loadFonts(ctx, 1.0f);
  ui::applyStyle(1.0f);
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);

  // 1. Entry view, 300 fields, half of them filled in.
  auto form = loadJson(bigForm(), tmp);
  auto logic = ui::makeEntryLogic(*form, "da", ctx.tr);
  ui::EntryView entry;
  entry.logic = logic.get();
  nlohmann::json values = nlohmann::json::object();
  for (int i = 0; i < 300; i += 2) {
    const Field* f = form->findField("f" + std::to_string(i));
    switch (f->type) {
      case FieldType::Integer: values[f->name] = i; break;
      case FieldType::SelectOne: values[f->name] = "b"; break;
      case FieldType::SelectMultiple: values[f->name] = "a c"; break;
      case FieldType::Date: values[f->name] = "2026-11-26"; break;
      case FieldType::Range: values[f->name] = 5; break;
      default: values[f->name] = "tekst " + std::to_string(i); break;
    }
  }
  entry.open(form, values, "x", false);
  frames(30, [&](int) { entry.draw(ctx); });  // warm up
  auto es = stats(frames(300, [&](int) { entry.draw(ctx); }));
  // Scrolled to the end (the clipper-free renderer draws what is visible
  // cheaply, but submits every field).
  std::printf("entry view, 300 fields:     mean %.3f ms  p50 %.3f  p95 %.3f  max %.3f  (target <= 2 ms)\n", es.mean,
              es.p50, es.p95, es.max);

  // 2. Record browser over nrecords.
  if (wsPath.empty()) wsPath = (tmp / ("browser_" + std::to_string(nrecords) + ".skema")).string();
  std::unique_ptr<store::SqliteStore> st;
  auto smallForm = loadJson(nlohmann::json{{"format", "skema-form/1"}, {"id", "bench.rows"}, {"version", 1},
                                           {"title", {{"da", "Rækker"}, {"en", "Rows"}}},
                                           {"fields", {{{"name", "date"}, {"type", "date"}, {"label", {{"da", "Dato"}, {"en", "Date"}}}},
                                                       {{"name", "n"}, {"type", "integer"}, {"label", {{"da", "Antal"}, {"en", "Count"}}}},
                                                       {{"name", "place"}, {"type", "text"}, {"label", {{"da", "Sted"}, {"en", "Place"}}}}}}},
                                tmp / "rows");
  store::Actor who{"bench", ""};
  if (fs::exists(wsPath)) {
    st = store::SqliteStore::open(wsPath);
  } else {
    st = store::SqliteStore::create(wsPath);
    st->publishForm(*smallForm, who);
    struct Gen : store::ImportSource {
      long long i = 0, n = 0;
      bool next(store::ImportRow& row) override {
        if (i >= n) return false;
        row = {};
        row.line = static_cast<int>(i);
        row.record.formId = "bench.rows";
        row.record.formVersion = 1;
        row.record.status = (i % 5 == 0) ? store::RecordStatus::Draft : store::RecordStatus::Final;
        row.record.values = {{"date", "2026-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10)},
                             {"n", i},
                             {"place", "Sted nr. " + std::to_string(i % 977) + " på Østerbro"}};
        ++i;
        return true;
      }
    } gen;
    gen.n = nrecords;
    auto t0 = Clock::now();
    auto r = st->importRecords(gen, who, {});
    std::printf("(made a workspace of %lld records in %.1f s: %s)\n", static_cast<long long>(r.imported),
                std::chrono::duration<double>(Clock::now() - t0).count(), wsPath.c_str());
  }
  ui::BrowserView browser;
  browser.open("bench.rows", st->form("bench.rows", 1));
  frames(5, [&](int) { browser.draw(ctx, *st); });
  std::printf("browser: %lld records, count query + first page %.1f ms\n", static_cast<long long>(browser.total),
              browser.lastQueryMs);
  // Scrolling to a new place fetches one page (what BrowserView::row does).
  {
    store::RecordQuery q;
    q.formId = "bench.rows";
    q.offset = browser.total / 2;
    q.limit = 220;
    q.withTotal = false;
    const double t0 = cpuMs();
    auto t0w = Clock::now();
    auto page = st->query(q);
    std::printf("browser: page of %zu rows at offset %lld: %.2f ms CPU, %.2f ms wall\n", page.records.size(),
                static_cast<long long>(q.offset), cpuMs() - t0,
                std::chrono::duration<double, std::milli>(Clock::now() - t0w).count());
    q.sortBy = "place";
    const double ti = cpuMs();
    st->ensureFieldIndex("bench.rows", "place");  // what the browser does on a sort click (once)
    std::printf("browser: index on a field for sorting (once): %.0f ms CPU\n", cpuMs() - ti);
    const double t1 = cpuMs();
    page = st->query(q);
    std::printf("browser: same page sorted by a field: %.2f ms CPU\n", cpuMs() - t1);
  }
  const int rowsVisible = 28;
  frames(10, [&](int) { browser.draw(ctx, *st); });
  auto bs = stats(frames(300, [&](int) { browser.draw(ctx, *st); }));
  std::printf("browser frame, %lld records: mean %.3f ms  p50 %.3f  p95 %.3f  max %.3f  (target <= 3 ms; %d rows visible)\n",
              static_cast<long long>(browser.total), bs.mean, bs.p50, bs.p95, bs.max, rowsVisible);
  ImGui::DestroyContext();
  return 0;
}
#else
#include <cstdio>
int main() {
  std::puts("bench_ui: built without the workbench (skema_ui); nothing to measure");
  return 0;
}
#endif
