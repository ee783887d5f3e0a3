#include "views/browser_view.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "keys.h"
#include "store/sqlite_store.h"
#include "util/date_input.h"

namespace skema::ui {

// [SECTION] the background worker

// One thread with its own store connection (SQLite connections are not
// shared across threads; the UI's stays on the UI thread). It fetches the
// latest page asked for, then counts the latest query asked for; requests
// not started yet are replaced by newer ones.
struct BrowserCounter {
  explicit BrowserCounter(std::string p) : path(std::move(p)) {
    thread = std::thread([this] { run(); });
  }
  ~BrowserCounter() {
    {
      std::lock_guard<std::mutex> lock(m);
      quit = true;
    }
    cv.notify_all();
    thread.join();  // waits for a query in flight (at most one)
  }
  void askPage(std::uint64_t gen, store::RecordQuery q) {
    {
      std::lock_guard<std::mutex> lock(m);
      pageReq = std::make_pair(gen, std::move(q));
    }
    cv.notify_all();
  }
  void askCount(std::uint64_t gen, store::RecordQuery q) {
    {
      std::lock_guard<std::mutex> lock(m);
      countReq = std::make_pair(gen, std::move(q));
    }
    cv.notify_all();
  }
  struct PageResult {
    std::uint64_t gen = 0;
    std::int64_t offset = -1;
    std::vector<store::Record> rows;
    std::string error;
  };
  // Waits up to waitMs until `ready` (called under the lock) holds.
  template <typename F> void wait(double waitMs, F&& ready) {
    std::unique_lock<std::mutex> lock(m);
    if (waitMs > 0) done.wait_for(lock, std::chrono::duration<double, std::milli>(waitMs), [&] { return ready(*this); });
    else ready(*this);
  }

  const std::string path;
  // Results (guarded by m).
  PageResult page;
  std::uint64_t countGen = 0;
  std::int64_t countTotal = -1;
  std::string countError;

 private:
  void run() {
    std::unique_ptr<store::SqliteStore> own;
    std::string openError;
    auto connect = [&] {
      if (own) return true;
      try {
        own = store::SqliteStore::open(path);
        return true;
      } catch (const std::exception& e) {
        openError = e.what();
        return false;
      }
    };
    connect();  // at start: the first request does not pay for it
    for (;;) {
      std::pair<std::uint64_t, store::RecordQuery> job;
      bool isPage = false;
      {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return quit || pageReq || countReq; });
        if (quit) return;
        isPage = pageReq.has_value();
        job = std::move(isPage ? *pageReq : *countReq);
        (isPage ? pageReq : countReq).reset();
      }
      std::vector<store::Record> rows;
      std::int64_t n = -1;
      std::string err;
      try {
        if (!connect()) throw std::runtime_error(openError);
        if (isPage) {
          // Sorting by a field needs its index: made here, off the UI thread
          // (seconds over a million records; a quick look-up once it exists).
          const std::string& sortBy = job.second.sortBy;
          if (!sortBy.empty() && sortBy[0] != '_') own->ensureFieldIndex(job.second.formId, sortBy);
          job.second.withTotal = false;
          rows = own->query(job.second).records;
        } else {
          job.second.limit = 0;
          job.second.offset = 0;
          job.second.withTotal = true;
          n = own->query(job.second).total;
        }
      } catch (const std::exception& e) {
        err = e.what();
        own.reset();  // reopen next time (the workspace may have been busy)
      }
      {
        std::lock_guard<std::mutex> lock(m);
        if (isPage) {
          page.gen = job.first;
          page.offset = job.second.offset;
          page.rows = std::move(rows);
          page.error = err;
        } else {
          countGen = job.first;
          countTotal = n;
          countError = err;
        }
      }
      done.notify_all();
    }
  }

  std::mutex m;
  std::condition_variable cv, done;
  bool quit = false;
  std::optional<std::pair<std::uint64_t, store::RecordQuery>> pageReq, countReq;
  std::thread thread;  // last: started once the members above exist
};

BrowserView::BrowserView() = default;
BrowserView::~BrowserView() = default;

namespace {

using Op = store::FieldFilter::Op;

std::vector<Op> opsFor(const Field& f) {
  if (f.type == FieldType::SelectMultiple) return {Op::HasChoice};
  if (f.type == FieldType::SelectOne) return {Op::Equals, Op::NotEquals};
  return {Op::Equals, Op::NotEquals, Op::Less, Op::LessEq, Op::Greater, Op::GreaterEq};
}

// As shown in the filter chips (the UI font includes U+2260..U+2265); the
// --view filter syntax below stays ASCII.
const char* opSymbol(Op op, const UiContext& ctx) {
  switch (op) {
    case Op::Equals: return "=";
    case Op::NotEquals: return "\u2260";
    case Op::Less: return "<";
    case Op::LessEq: return "\u2264";
    case Op::Greater: return ">";
    case Op::GreaterEq: return "\u2265";
    case Op::HasChoice: return ctx.t("browser.op.has_choice");
  }
  return "?";
}

bool numeric(FieldType t) { return t == FieldType::Integer || t == FieldType::Decimal || t == FieldType::Range; }

// Typed text -> the stored form of the field's values; nullopt if unreadable.
std::optional<nlohmann::json> filterValue(const Field& f, const std::string& text) {
  std::string s = text;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  if (s.empty()) return std::nullopt;
  if (numeric(f.type)) {
    for (char& c : s)
      if (c == ',') c = '.';
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (!end || *end) return std::nullopt;
    if (f.type == FieldType::Integer && d == static_cast<double>(static_cast<long long>(d)))
      return nlohmann::json(static_cast<long long>(d));
    return nlohmann::json(d);
  }
  if (f.type == FieldType::Date) {
    if (auto d = parseDateInput(s)) return nlohmann::json(*d);
    return std::nullopt;
  }
  return nlohmann::json(s);
}

std::string cellText(const Field& f, const nlohmann::json& values, const Form& form, const std::string& lang) {
  if (!values.contains(f.name)) return {};
  const auto& v = values[f.name];
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (f.type == FieldType::SelectOne)
      if (const ChoiceList* l = form.findChoices(f.choices))
        if (const Choice* c = l->find(s)) return localized(c->label, lang);
    return s;
  }
  return v.dump();
}

}  // namespace

// [SECTION] state

void BrowserView::open(const std::string& id, std::shared_ptr<const Form> f) {
  if (id != formId) {
    filter.clear();
    appliedFilter.clear();
    statusFilter.clear();
    filters.clear();
    newFilter = {};
    sortBy.clear();
    descending = false;
    selected = -1;
  }
  formId = id;
  form = std::move(f);
  columns.clear();
  filterable.clear();
  hasPersonCode = false;
  if (form)
    for (const auto& fl : form->fields) hasPersonCode = hasPersonCode || fl.type == FieldType::PersonCode;
  if (form) {
    form->forEachField([&](const Field& fl) {
      if (!holdsValue(fl.type)) return;
      // Top-level fields only (not inside repeats).
      if (fl.path.find('/') != std::string::npos) {
        const Field* parent = form->findField(fl.path.substr(0, fl.path.find('/')));
        if (!parent || parent->type == FieldType::Repeat) return;
      }
      if (fl.type != FieldType::Repeat) filterable.push_back(&fl);
      if (columns.size() >= 4 || fl.type == FieldType::PersonCode || fl.type == FieldType::Calculate) return;
      columns.push_back(&fl);
    });
  }
  // Conditions on fields this version does not have are dropped.
  filters.erase(std::remove_if(filters.begin(), filters.end(),
                               [&](const store::FieldFilter& c) {
                                 return std::none_of(filterable.begin(), filterable.end(),
                                                     [&](const Field* x) { return x->name == c.field; });
                               }),
                filters.end());
  ensureWorker();  // its connection opens now, not on the first query
  stale = true;
  focusTable = true;
}

void BrowserView::addFilter(store::FieldFilter f) {
  filters.push_back(std::move(f));
  selected = -1;
  stale = true;
}

void BrowserView::removeFilter(size_t index) {
  if (index >= filters.size()) return;
  filters.erase(filters.begin() + static_cast<std::ptrdiff_t>(index));
  selected = -1;
  stale = true;
}

bool BrowserView::applyFilterSpec(const std::string& spec) {
  size_t start = 0;
  while (start <= spec.size()) {
    const size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string part = spec.substr(start, comma - start);
    start = comma + 1;
    if (part.empty()) continue;
    static const std::pair<const char*, Op> kOps[] = {{"!=", Op::NotEquals}, {"<=", Op::LessEq}, {">=", Op::GreaterEq},
                                                       {"=", Op::Equals},    {"<", Op::Less},      {">", Op::Greater},
                                                       {"~", Op::HasChoice}};
    size_t at = std::string::npos, len = 0;
    Op op = Op::Equals;
    for (const auto& [sym, o] : kOps) {
      const size_t p = part.find(sym);
      if (p != std::string::npos && (p < at || (p == at && std::string(sym).size() > len))) {
        at = p;
        len = std::string(sym).size();
        op = o;
      }
    }
    if (at == std::string::npos || at == 0) return false;
    const std::string name = part.substr(0, at), text = part.substr(at + len);
    const Field* fl = nullptr;
    for (const Field* x : filterable)
      if (x->name == name) fl = x;
    if (!fl) return false;
    auto v = filterValue(*fl, text);
    if (!v) return false;
    const bool choiceField = fl->type == FieldType::SelectOne || fl->type == FieldType::SelectMultiple;
    if (choiceField && form)  // a choice name the list has
      if (const ChoiceList* l = form->findChoices(fl->choices); l && !l->find(v->get<std::string>())) return false;
    const auto ops = opsFor(*fl);
    if (std::find(ops.begin(), ops.end(), op) == ops.end()) return false;
    addFilter({name, op, *v});
  }
  return true;
}

std::string BrowserView::describe(const store::FieldFilter& c, const UiContext& ctx) const {
  const std::string& lang = ctx.lang;
  const Field* fl = nullptr;
  for (const Field* x : filterable)
    if (x->name == c.field) fl = x;
  std::string label = fl ? localized(fl->label, lang) : c.field;
  if (label.empty()) label = c.field;
  std::string value = c.value.is_string() ? c.value.get<std::string>() : c.value.dump();
  if (fl && form && (fl->type == FieldType::SelectOne || fl->type == FieldType::SelectMultiple))
    if (const ChoiceList* l = form->findChoices(fl->choices))
      if (const Choice* ch = l->find(value)) value = localized(ch->label, lang);
  return label + " " + opSymbol(c.op, ctx) + " " + value;
}

store::RecordQuery BrowserView::query() const {
  store::RecordQuery q;
  q.formId = formId;
  q.text = appliedFilter;
  q.sortBy = sortBy;
  q.descending = descending;
  q.filters = filters;
  if (auto st = store::statusFromName(statusFilter)) q.status = *st;
  return q;
}

const store::Record* BrowserView::cachedRow(std::int64_t index) const {
  if (index >= cacheOffset && index < cacheOffset + static_cast<std::int64_t>(cache.size()))
    return &cache[static_cast<size_t>(index - cacheOffset)];
  return nullptr;
}

// [SECTION] fetching and counting

bool BrowserView::async() const { return !workspacePath.empty(); }

void BrowserView::ensureWorker() {
  if (!async()) return;
  if (!m_counter || m_counter->path != workspacePath) {
    m_counter.reset();
    m_counter = std::make_unique<BrowserCounter>(workspacePath);
  }
}

const store::Record* BrowserView::row(store::Store& st, std::int64_t index, std::int64_t first, std::int64_t last) {
  if (const store::Record* r = cachedRow(index)) return r;
  // Fetch a window around what is visible.
  store::RecordQuery q = query();
  q.offset = std::max<std::int64_t>(0, first - 64);
  q.limit = (last - first) + 192;
  q.withTotal = false;
  if (async()) {
    // On the worker; "…" until it is there.
    if (m_pendingOffset >= 0 && index >= m_pendingOffset && index < m_pendingOffset + m_pendingLimit) return nullptr;
    ensureWorker();
    m_pendingOffset = q.offset;
    m_pendingLimit = q.limit;
    m_counter->askPage(m_generation, q);
    return nullptr;
  }
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto page = st.query(q);
    lastQueryMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    cacheOffset = q.offset;
    cache = std::move(page.records);
  } catch (const store::StoreError& e) {
    error = e.what();
    cache.clear();
  }
  return cachedRow(index);
}

void BrowserView::refresh(store::Store& st) {
  ++m_generation;
  cache.clear();
  cacheOffset = 0;
  error.clear();
  counting = false;
  m_pendingOffset = -1;
  store::RecordQuery q = query();
  if (!async()) {
    try {
      q.limit = 0;
      q.withTotal = true;
      total = st.query(q).total;
    } catch (const store::StoreError& e) {
      error = e.what();
      total = 0;
    }
  } else {
    // The first rows, then the total, on the worker: a frame never waits
    // for a sort over a million rows or a count.
    ensureWorker();
    store::RecordQuery first = q;
    first.offset = 0;
    first.limit = kFirstPage;
    m_pendingOffset = 0;
    m_pendingLimit = kFirstPage;
    m_counter->askPage(m_generation, first);
    m_counter->askCount(m_generation, q);
    total = -1;
    counting = true;
  }
  stale = false;
  if (total >= 0 && selected >= total) selected = total - 1;
}

void BrowserView::pollCount(double waitMs) {
  if (!m_counter || (!counting && m_pendingOffset < 0)) return;
  const std::uint64_t gen = m_generation;
  const std::int64_t off = m_pendingOffset;
  m_counter->wait(waitMs, [&](BrowserCounter& w) {
    if (off >= 0 && w.page.gen == gen && w.page.offset == off) {
      cache = std::move(w.page.rows);
      w.page.rows.clear();
      w.page.offset = -1;
      cacheOffset = off;
      m_pendingOffset = -1;
      if (!w.page.error.empty()) error = w.page.error;
    }
    if (counting && w.countGen == gen) {
      counting = false;
      if (!w.countError.empty()) {
        error = w.countError;
        total = cacheOffset + static_cast<std::int64_t>(cache.size());
      } else {
        total = w.countTotal;
      }
    }
    return !counting && m_pendingOffset < 0;
  });
  if (total >= 0 && selected >= total) selected = total - 1;
}

void BrowserView::waitForCount() {
  while (counting || m_pendingOffset >= 0) pollCount(50.0);
}

// [SECTION] the frame

bool BrowserView::drawFilterPopup(UiContext& ctx) {
  bool added = false;
  if (!ImGui::BeginPopup("##addfilter")) return false;
  const float s = ctx.scale;
  if (filterable.empty()) {
    ImGui::EndPopup();
    return false;
  }
  NewFilter& nf = newFilter;
  nf.field = std::clamp(nf.field, 0, static_cast<int>(filterable.size()) - 1);
  const Field& fl = *filterable[static_cast<size_t>(nf.field)];
  auto label = [&](const Field* x) {
    std::string l = localized(x->label, ctx.lang);
    return l.empty() ? x->name : l;
  };
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(240 * s);
  if (ImGui::BeginCombo(ctx.t("browser.filter.field"), label(&fl).c_str())) {
    for (size_t i = 0; i < filterable.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(label(filterable[i]).c_str(), static_cast<int>(i) == nf.field)) {
        nf.field = static_cast<int>(i);
        nf.op = 0;
        nf.choice = 0;
        nf.value.clear();
      }
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  const Field& f = *filterable[static_cast<size_t>(nf.field)];
  const auto ops = opsFor(f);
  nf.op = std::clamp(nf.op, 0, static_cast<int>(ops.size()) - 1);
  ImGui::SetNextItemWidth(240 * s);
  if (ImGui::BeginCombo(ctx.t("browser.filter.op"), opSymbol(ops[static_cast<size_t>(nf.op)], ctx))) {
    for (size_t i = 0; i < ops.size(); ++i)
      if (ImGui::Selectable(opSymbol(ops[i], ctx), static_cast<int>(i) == nf.op)) nf.op = static_cast<int>(i);
    ImGui::EndCombo();
  }
  std::optional<nlohmann::json> value;
  const ChoiceList* list = (f.type == FieldType::SelectOne || f.type == FieldType::SelectMultiple) && form
                               ? form->findChoices(f.choices)
                               : nullptr;
  bool enter = false;
  ImGui::SetNextItemWidth(240 * s);
  if (list && !list->choices.empty()) {
    nf.choice = std::clamp(nf.choice, 0, static_cast<int>(list->choices.size()) - 1);
    const Choice& cur = list->choices[static_cast<size_t>(nf.choice)];
    if (ImGui::BeginCombo(ctx.t("browser.filter.value"), localized(cur.label, ctx.lang).c_str())) {
      for (size_t i = 0; i < list->choices.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(localized(list->choices[i].label, ctx.lang).c_str(), static_cast<int>(i) == nf.choice))
          nf.choice = static_cast<int>(i);
        ImGui::PopID();
      }
      ImGui::EndCombo();
    }
    value = nlohmann::json(list->choices[static_cast<size_t>(nf.choice)].name);
  } else {
    enter = ImGui::InputText(ctx.t("browser.filter.value"), &nf.value,
                             ImGuiInputTextFlags_EnterReturnsTrue);
    value = filterValue(f, nf.value);
    if (!nf.value.empty() && !value)
      ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s",
                         numeric(f.type) ? ctx.t("browser.filter.not_number")
                                         : ctx.t("browser.filter.not_date"));
  }
  if (!value) ImGui::BeginDisabled();
  if (ImGui::Button(ctx.t("browser.filter.add")) || (enter && value)) {
    addFilter({f.name, ops[static_cast<size_t>(nf.op)], *value});
    nf.value.clear();
    added = true;
    ImGui::CloseCurrentPopup();
  }
  if (!value) ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("browser.filter.cancel"))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return added;
}

BrowserView::Result BrowserView::draw(UiContext& ctx, store::Store& st) {
  Result result;
  const float s = ctx.scale;
  if (stale) refresh(st);
  // Work in flight on the worker: wait for it at most half a frame.
  pollCount(8.0);

  ImGui::PushFont(ctx.fontTitle);
  ImGui::TextUnformatted(form ? localized(form->title, ctx.lang).c_str() : formId.c_str());
  ImGui::PopFont();
  if (counting)
    ImGui::TextDisabled("%s · %s", formId.c_str(), ctx.t("browser.counting"));
  else
    ImGui::TextDisabled("%s · %s", formId.c_str(), ctx.tr.format("browser.count", {std::to_string(total)}).c_str());

  // Filter row.
  if ((ctrlDown() && keyPressed(keys::kF, false)) || focusFilter) {
    ImGui::SetKeyboardFocusHere();
    focusFilter = false;
  }
  ImGui::SetNextItemWidth(320 * s);
  if (ImGui::InputTextWithHint("##filter", ctx.t("browser.filter_hint"), &filter)) filterEditTime = ImGui::GetTime();
  const bool filterActive = ImGui::IsItemActive();
  if (filter != appliedFilter && ImGui::GetTime() - filterEditTime > 0.25) {
    appliedFilter = filter;
    stale = true;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150 * s);
  const char* statusLabels[] = {ctx.t("browser.status_all"), ctx.t("entry.status.draft"), ctx.t("entry.status.final")};
  const char* statusNames[] = {"", "draft", "final"};
  int si = statusFilter == "draft" ? 1 : statusFilter == "final" ? 2 : 0;
  if (ImGui::Combo("##status", &si, statusLabels, 3)) {
    statusFilter = statusNames[si];
    stale = true;
  }
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("browser.filter.button"))) ImGui::OpenPopup("##addfilter");
  drawFilterPopup(ctx);
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("entry.action.new"))) result.kind = Result::Kind::New;
  ImGui::SameLine();
  const store::Record* selRec = selected >= 0 ? cachedRow(selected) : nullptr;
  if (!selRec) ImGui::BeginDisabled();
  if (ImGui::Button(ctx.t("browser.history")) && selRec)
    result = {Result::Kind::History, selRec->id};
  if (!selRec) ImGui::EndDisabled();

  // The per-field conditions as chips; a click removes one.
  if (!filters.empty()) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.80f, 0.88f, 0.97f, 1));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.95f, 0.80f, 0.80f, 1));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 10 * s);
    size_t remove = filters.size();
    for (size_t i = 0; i < filters.size(); ++i) {
      const std::string chip = describe(filters[i], ctx) + "  \xC3\x97";  // ×
      const float w = ImGui::CalcTextSize(chip.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
      if (i > 0) {
        ImGui::SameLine();
        if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w > right) ImGui::NewLine();
      }
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::SmallButton(chip.c_str())) remove = i;
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", ctx.t("browser.filter.remove"));
      ImGui::PopID();
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(ctx.t("browser.filter.clear"))) {
      filters.clear();
      selected = -1;
      stale = true;
    }
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(2);
    if (remove < filters.size()) removeFilter(remove);
  }
  if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());

  // While counting, the rows fetched so far can be browsed.
  const std::int64_t rows = total >= 0 ? total : static_cast<std::int64_t>(cacheOffset + cache.size());

  // Keyboard: Up/Down select, Enter open, H history, Ctrl+N new, Esc leave.
  const bool popupOpen = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  const bool typing = ImGui::IsAnyItemActive() && !filterActive;
  bool scrollToSelected = false;
  if (!typing && !popupOpen && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) {
    if (keyPressed(keys::kDown)) selected = std::min(selected + 1, rows - 1), scrollToSelected = true;
    if (keyPressed(keys::kUp)) selected = std::max<std::int64_t>(selected - 1, 0), scrollToSelected = true;
    if (keyPressed(keys::kPageDown)) selected = std::min(selected + 20, rows - 1), scrollToSelected = true;
    if (keyPressed(keys::kPageUp)) selected = std::max<std::int64_t>(selected - 20, 0), scrollToSelected = true;
    if (ctrlDown() && keyPressed(keys::kN, false)) result.kind = Result::Kind::New;
    if (keyPressed(keys::kEscape, false) && !filterActive) result.kind = Result::Kind::Leave;
    if (!filterActive && !ctrlDown() && keyPressed(keys::kH, false))
      if (const store::Record* r = selected >= 0 ? cachedRow(selected) : nullptr)
        result = {Result::Kind::History, r->id};
  }
  const bool enter = !popupOpen && (keyPressed(keys::kEnter, false) || keyPressed(keys::kKeypadEnter, false));

  const int ncols = 4 + static_cast<int>(columns.size());
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##records", ncols, flags, ImVec2(0, -ImGui::GetFrameHeightWithSpacing()))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(ctx.t("browser.col.status"), ImGuiTableColumnFlags_WidthFixed, 80 * s, 0);
    ImGui::TableSetupColumn(ctx.t("browser.col.person"),
                            ImGuiTableColumnFlags_WidthFixed | (hasPersonCode ? 0 : ImGuiTableColumnFlags_DefaultHide),
                            100 * s, 1);
    for (size_t i = 0; i < columns.size(); ++i)
      ImGui::TableSetupColumn(localized(columns[i]->label, ctx.lang).c_str(), 0, 1.0f, static_cast<ImGuiID>(10 + i));
    ImGui::TableSetupColumn(ctx.t("browser.col.version"), ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoSort, 50 * s, 2);
    ImGui::TableSetupColumn(ctx.t("browser.col.updated"), ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending, 150 * s, 3);
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
      if (specs->SpecsCount > 0) {
        const ImGuiTableColumnSortSpecs& c = specs->Specs[0];
        const ImGuiID id = c.ColumnUserID;
        std::string key = id == 0 ? "_status" : id == 1 ? "_person_code" : id == 3 ? "_updated_at"
                          : (id >= 10 && id - 10 < columns.size()) ? columns[id - 10]->name : "";
        sortBy = key;
        descending = c.SortDirection == ImGuiSortDirection_Descending;
        // Sorting a big form by a field needs an index (made once, kept);
        // with a worker, the worker makes it before its first page.
        if (!async() && !key.empty() && key[0] != '_') {
          try {
            st.ensureFieldIndex(formId, key);
          } catch (const store::StoreError& e) {
            error = e.what();
          }
        }
      }
      specs->SpecsDirty = false;
      stale = true;
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(rows, 2000000000)));
    if (scrollToSelected && selected >= 0) clipper.ForceDisplayRangeByIndices(static_cast<int>(selected), static_cast<int>(selected) + 1);
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        const store::Record* rec = row(st, r, clipper.DisplayStart, clipper.DisplayEnd);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (!rec) {
          ImGui::TextDisabled("…");
          continue;
        }
        ImGui::PushID(r);
        const bool sel = selected == r;
        const bool isFinal = rec->status == store::RecordStatus::Final;
        if (ImGui::Selectable(isFinal ? ctx.t("entry.status.final") : ctx.t("entry.status.draft"), sel,
                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
          selected = r;
          if (ImGui::IsMouseDoubleClicked(0)) result = {Result::Kind::Open, rec->id};
        }
        if (sel && scrollToSelected) ImGui::SetScrollHereY(0.5f);
        if (sel && enter && !typing) result = {Result::Kind::Open, rec->id};
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(rec->personCode.c_str());
        for (const Field* f : columns) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(cellText(*f, rec->values, *form, ctx.lang).c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d", rec->formVersion);
        ImGui::TableNextColumn();
        std::string when = rec->updatedAt.substr(0, 16);
        if (when.size() > 10) when[10] = ' ';
        ImGui::TextUnformatted(when.c_str());
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s · %s", ctx.t("browser.keys_hint"),
                      ctx.t("browser.keys_hint_history"));
  return result;
}

}  // namespace skema::ui
