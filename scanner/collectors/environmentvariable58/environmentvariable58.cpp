// environmentvariable58_object: a process environment from /proc/PID/environ (pid nil:
// our own process, as OpenSCAP uses its own). Offline, the root has no processes: the
// object does not exist (oscap: "Can't find process with requested PID").
#include <unistd.h>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_environmentvariable58(const ObjectQuery& q, CollectContext& ctx) {
  if (ctx.offline())
    return Collection::with_flag(Flag::kDoesNotExist, "no processes in an offline root");
  const ObjectEntity* pid = q.entity("pid");
  const ObjectEntity* name = q.entity("name");
  if (!name)
    return Collection::with_flag(Flag::kError, "environmentvariable58_object without name");
  std::vector<std::string> pids;
  if (!pid || pid->nil || pid->values.empty())
    pids.push_back(std::to_string(::getpid()));
  else
    pids = pid->values;
  Collection c;
  for (const auto& p : pids) {
    auto env = ctx.root.read_file("/proc/" + p + "/environ");
    if (!env) continue;
    std::size_t start = 0;
    while (start < env->size()) {
      auto end = env->find('\0', start);
      if (end == std::string::npos) end = env->size();
      std::string kv = env->substr(start, end - start);
      start = end + 1;
      auto eq = kv.find('=');
      if (eq == std::string::npos) continue;
      std::string n = kv.substr(0, eq);
      if (match_entity(*name, n) != Tri::kTrue) continue;
      Item it;
      it.type = "environmentvariable58_item";
      it.add("pid", p, Datatype::kInt);
      it.add("name", n);
      it.add("value", kv.substr(eq + 1));
      c.items.push_back(std::move(it));
    }
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
