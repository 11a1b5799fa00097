// The collector table built from collector_list.h.
#include "scanner/collectors/registry.h"

#include <string>
#include <utility>

namespace vigil::scanner {
namespace {

struct Entry {
  std::string_view type;
  CollectFn fn;
};

constexpr Entry kTable[] = {
#define VIGIL_COLLECTOR(type, fn) {type, &fn},
#include "scanner/collectors/collector_list.h"
#undef VIGIL_COLLECTOR
};

}  // namespace

CollectFn find_collector(std::string_view object_type) {
  for (const auto& e : kTable)
    if (e.type == object_type) return e.fn;
  return nullptr;
}

std::vector<std::string_view> collector_types() {
  std::vector<std::string_view> out;
  for (const auto& e : kTable) out.push_back(e.type);
  return out;
}

Collection collect(const ObjectQuery& q, CollectContext& ctx) {
  if (CollectFn fn = find_collector(q.type)) return fn(q, ctx);
  return Collection::with_flag(Flag::kNotCollected, "no collector for " + q.type);
}

}  // namespace vigil::scanner
