// Left navigation: the areas (outreach, psychology, training, advisory) and
// their forms. Selecting a form offers "new record" and "records".
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "form/form.h"
#include "ui_context.h"

namespace skema::ui {

// The four areas, in display order.
const std::vector<std::string>& areaIds();

struct NavView {
  std::string selectedForm;  // form id
  enum class Pick { None, NewRecord, Records };
  struct Result {
    Pick pick = Pick::None;
    std::string formId;
  };
  // `forms`: the latest version of each form. `haveStore`: records exist.
  Result draw(UiContext& ctx, const std::vector<std::shared_ptr<const Form>>& forms, bool haveStore);
};

}  // namespace skema::ui
