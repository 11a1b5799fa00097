// uname_object: the running kernel. A mounted root has no running kernel, so offline
// the object is "not applicable" (as OpenSCAP reports it).
#include <sys/utsname.h>

#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_uname(const ObjectQuery&, CollectContext& ctx) {
  if (ctx.offline()) return Collection::with_flag(Flag::kNotApplicable, "uname: offline root");
  struct utsname u;
  if (::uname(&u) != 0) return Collection::with_flag(Flag::kError, "uname() failed");
  Collection c;
  Item it;
  it.type = "uname_item";
  it.add("machine_class", u.machine);
  it.add("node_name", u.nodename);
  it.add("os_name", u.sysname);
  it.add("os_release", u.release);
  it.add("os_version", u.version);
  it.add("processor_type", u.machine);
  c.items.push_back(std::move(it));
  return c;
}

}  // namespace vigil::scanner
