// Builds the engines of check_list.h for one evaluation.
#include "compliance/checks/check_engine.h"
#include "compliance/checks/findings_check.h"

namespace vigil::compliance {

#define VIGIL_CHECK_SYSTEM(uri, factory) std::unique_ptr<CheckEngine> factory(const Target&);
#include "compliance/checks/check_list.h"
#undef VIGIL_CHECK_SYSTEM

std::unique_ptr<CheckEngine> make_findings_check(const Target& t) {
  return std::make_unique<FindingsCheck>(t);
}

CheckEngines::CheckEngines(const Target& target) {
#define VIGIL_CHECK_SYSTEM(uri, factory) engines_.emplace(uri, factory(target));
#include "compliance/checks/check_list.h"
#undef VIGIL_CHECK_SYSTEM
}

CheckEngines::~CheckEngines() = default;

CheckEngine* CheckEngines::find(std::string_view system) {
  auto it = engines_.find(system);
  return it == engines_.end() ? nullptr : it->second.get();
}

std::vector<std::string> CheckEngines::systems() {
  return {
#define VIGIL_CHECK_SYSTEM(uri, factory) uri,
#include "compliance/checks/check_list.h"
#undef VIGIL_CHECK_SYSTEM
  };
}

}  // namespace vigil::compliance
