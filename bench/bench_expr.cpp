// Expression-language benchmark: a generated 500-field form with 300
// relevant conditions, 100 constraints and 50 calculations chained in depth.
// Prints (a) parse + compile of all logic, (b) a full evaluation, (c) an
// incremental re-evaluation after one field changes (median).
// Targets on the 2-core reference machine: (a) <= 5 ms, (b) <= 200 us, (c) <= 20 us.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "expr/form_logic.h"

using namespace skema;
using namespace skema::expr;
using Clock = std::chrono::steady_clock;

namespace {

double us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

Form generateForm() {
  Form form;
  form.id = "bench.expr";
  form.version = 1;
  ChoiceList yn;
  yn.name = "yes_no";
  for (const char* n : {"yes", "no", "unknown"}) {
    Choice c;
    c.name = n;
    c.label["en"] = n;
    yn.choices.push_back(c);
  }
  form.choices["yes_no"] = yn;
  std::mt19937 rng(42);
  const int kFields = 500, kCalcs = 50, kRelevant = 300, kConstraints = 100;
  const int kInputs = kFields - kCalcs;  // 450 input fields, then 50 calculations
  for (int i = 0; i < kInputs; ++i) {
    Field f;
    f.name = "f" + std::to_string(i);
    f.path = f.name;
    if (i % 10 == 3) {
      f.type = FieldType::SelectOne;
      f.choices = "yes_no";
    } else if (i % 10 == 7) {
      f.type = FieldType::Text;
    } else {
      f.type = FieldType::Integer;
    }
    form.fields.push_back(f);
  }
  for (int k = 0; k < kCalcs; ++k) {
    Field f;
    f.name = "c" + std::to_string(k);
    f.path = f.name;
    f.type = FieldType::Calculate;
    std::string in = "${f" + std::to_string(k) + "}";  // inputs without relevance: no cycles
    f.calculation = k == 0 ? "coalesce(" + in + ", 0) + 1"
                           : "if(${c" + std::to_string(k - 1) + "} > 1000000, 1, ${c" + std::to_string(k - 1) +
                                 "} * 2 + coalesce(" + in + ", 0))";
    form.fields.push_back(f);
  }
  // 300 relevant conditions on input fields 50..449, referring to earlier
  // fields and to calculations.
  for (int r = 0; r < kRelevant; ++r) {
    Field& f = form.fields[50 + r];
    int j = static_cast<int>(rng() % 50), k = static_cast<int>(rng() % kCalcs);
    std::string ref = "${f" + std::to_string(j) + "}";
    switch (r % 4) {
      case 0: f.relevant = ref + " > 5 and ${c" + std::to_string(k) + "} != ''"; break;
      case 1: f.relevant = "selected(${f" + std::to_string(j / 10 * 10 + 3) + "}, 'yes')"; break;
      case 2: f.relevant = "${c" + std::to_string(k) + "} mod 2 = 0 or " + ref + " = ''"; break;
      default: f.relevant = "string-length(${f" + std::to_string(j / 10 * 10 + 7) + "}) > 2"; break;
    }
  }
  for (int c = 0; c < kConstraints; ++c) {
    Field& f = form.fields[c * 4];
    if (f.type != FieldType::Integer) f.type = FieldType::Integer;
    f.constraint = c % 2 ? ". >= 0 and . <= 100" : ". >= ${f" + std::to_string((c * 7) % 40 + 1) + "} div 2";
    f.required = c % 3 == 0 ? "true()" : "";
  }
  return form;
}

nlohmann::json generateRecord(const Form& form) {
  nlohmann::json v = nlohmann::json::object();
  int i = 0;
  for (const auto& f : form.fields) {
    if (f.type == FieldType::Integer) v[f.name] = (i * 37) % 90;
    else if (f.type == FieldType::SelectOne) v[f.name] = i % 2 ? "yes" : "no";
    else if (f.type == FieldType::Text) v[f.name] = "text " + std::to_string(i);
    ++i;
  }
  return v;
}

}  // namespace

int main() {
  Form form = generateForm();
  int relevants = 0, constraints = 0, calcs = 0;
  form.forEachField([&](const Field& f) {
    relevants += !f.relevant.empty();
    constraints += !f.constraint.empty();
    calcs += !f.calculation.empty();
  });
  std::printf("form: %zu fields, %d relevant, %d constraints, %d calculations (chain depth %d)\n",
              form.fields.size(), relevants, constraints, calcs, calcs);

  // (a) parse + compile every expression, build the graph (and the first evaluation of an empty record).
  std::vector<double> compileTimes;
  for (int rep = 0; rep < 30; ++rep) {
    auto t0 = Clock::now();
    FormLogic logic(form);
    compileTimes.push_back(us(Clock::now() - t0));
    if (!logic.ok()) {
      std::printf("logic error: %s\n", logic.errors()[0].message.c_str());
      return 1;
    }
  }

  FormLogic logic(form);
  logic.load(generateRecord(form));
  // (b) full evaluation
  std::vector<double> fullTimes;
  for (int rep = 0; rep < 300; ++rep) {
    auto t0 = Clock::now();
    logic.evaluateAll();
    fullTimes.push_back(us(Clock::now() - t0));
  }

  // The per-field dependent lists are built lazily on a field's first change.
  auto tl = Clock::now();
  for (int i = 0; i < logic.fieldCount(); ++i) logic.dependentCount(i);
  double lazyUs = us(Clock::now() - tl);

  // (c) incremental: one random input field changes (as a keystroke would).
  std::mt19937 rng(7);
  std::vector<double> incTimes;
  size_t changed = 0;
  for (int rep = 0; rep < 5000; ++rep) {
    int idx = static_cast<int>(rng() % 450);
    const Field& f = logic.field(idx);
    // Always a different value than the current one.
    Value cur = logic.value(idx);
    Value v = f.type == FieldType::Integer ? Value::number(std::fmod(cur.toNumber() + 1 + rng() % 50, 100))
              : f.type == FieldType::SelectOne ? Value::string(cur.toString() == "yes" ? "no" : "yes")
                                               : Value::string(cur.toString().size() > 5 ? "" : cur.toString() + "x");
    auto t0 = Clock::now();
    auto cs = logic.setValue(idx, v);
    incTimes.push_back(us(Clock::now() - t0));
    changed += cs.size();
  }
  // Only fields that other logic refers to (a change has to re-evaluate something else).
  std::vector<int> referenced;
  for (int i = 0; i < 450; ++i)
    if (logic.dependentCount(i) > 1) referenced.push_back(i);
  std::vector<double> refTimes;
  for (int rep = 0; rep < 5000; ++rep) {
    int idx = referenced[rng() % referenced.size()];
    const Field& f = logic.field(idx);
    Value cur = logic.value(idx);
    Value v = f.type == FieldType::Integer ? Value::number(std::fmod(cur.toNumber() + 1 + rng() % 50, 100))
              : f.type == FieldType::SelectOne ? Value::string(cur.toString() == "yes" ? "no" : "yes")
                                               : Value::string(cur.toString().size() > 5 ? "" : cur.toString() + "x");
    auto t0 = Clock::now();
    logic.setValue(idx, v);
    refTimes.push_back(us(Clock::now() - t0));
  }
  // Worst case: the input at the root of the calculation chain.
  std::vector<double> rootTimes;
  for (int rep = 0; rep < 500; ++rep) {
    auto t0 = Clock::now();
    logic.setValue(0, Value::number(rep % 50));
    rootTimes.push_back(us(Clock::now() - t0));
  }

  std::printf("(a) parse + compile all logic (incl. graph and first evaluation): median %.0f us (%.2f ms)   target <= 5 ms\n",
              median(compileTimes), median(compileTimes) / 1000);
  std::printf("(b) full evaluation:                         median %.1f us   target <= 200 us\n", median(fullTimes));
  std::printf("(c) incremental after one field changes:     median %.2f us (p90 %.2f us, max %.1f us)   target <= 20 us\n",
              median(incTimes), percentile(incTimes, 0.9), percentile(incTimes, 1.0));
  std::printf("    only the %zu fields other logic refers to:  median %.2f us (p90 %.2f us)\n", referenced.size(),
              median(refTimes), percentile(refTimes, 0.9));
  std::printf("    chain root f0 changed (%zu dependents):  median %.1f us\n", logic.dependentCount(0), median(rootTimes));
  std::printf("    dependent lists of all %d fields (built lazily, once): %.0f us\n", logic.fieldCount(), lazyUs);
  std::printf("    (%zu changes reported over %zu edits)\n", changed, incTimes.size());
  return 0;
}
