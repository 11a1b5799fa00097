// family_object: always "unix" on Linux (also offline, like OpenSCAP).
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_family(const ObjectQuery&, CollectContext&) {
  Collection c;
  Item it;
  it.type = "family_item";
  it.add("family", "unix");
  c.items.push_back(std::move(it));
  return c;
}

}  // namespace vigil::scanner
