// What every collector gets: the root it reads from, plus per-run caches so a
// database (dpkg status, passwd...) is parsed once per evaluation, not once per object.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "scanner/collectors/types.h"
#include "scanner/fs/root.h"

namespace vigil::scanner {

struct CollectContext {
  explicit CollectContext(const fs::Root& r) : root(r) {}
  const fs::Root& root;
  // Offline = a mounted root that is not the running system: runtime state (kernel,
  // systemd, network, processes) is not collectable.
  bool offline() const { return !root.live(); }

  // Type-erased per-run cache keyed by collector name.
  std::map<std::string, std::shared_ptr<void>> cache;
  template <typename T, typename Make>
  T& cached(const std::string& key, Make make) {
    auto& slot = cache[key];
    if (!slot) slot = std::make_shared<T>(make());
    return *static_cast<T*>(slot.get());
  }
};

using CollectFn = Collection (*)(const ObjectQuery&, CollectContext&);

}  // namespace vigil::scanner
