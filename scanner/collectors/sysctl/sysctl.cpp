// sysctl_object: runtime kernel parameters from /proc/sys only (never sysctl.d files,
// which OVAL checks with textfilecontent54). Offline there is no runtime: "not applicable".
#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

Item sysctl_item(const std::string& name, const std::string& raw) {
  std::string v = raw;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  for (char& ch : v)
    if (ch == '\t') ch = ' ';  // multi-value parameters are tab separated in /proc
  Item it;
  it.type = "sysctl_item";
  it.source_file = "/proc/sys/" + name;
  it.add("name", name);
  it.add("value", v);
  return it;
}

}  // namespace

Collection collect_sysctl(const ObjectQuery& q, CollectContext& ctx) {
  if (ctx.offline()) return Collection::with_flag(Flag::kNotApplicable, "sysctl: offline root");
  const ObjectEntity* name = q.entity("name");
  if (!name) return Collection::with_flag(Flag::kError, "sysctl_object without name");
  Collection c;
  if (name->operation == Operation::kEquals) {
    for (const auto& n : name->values) {
      std::string p = "/proc/sys/" + n;
      for (char& ch : p)
        if (ch == '.') ch = '/';
      auto data = ctx.root.read_file(p);
      if (data) c.items.push_back(sysctl_item(n, *data));
    }
  } else {
    std::function<void(const std::string&, const std::string&)> rec = [&](const std::string& dir,
                                                                          const std::string& pre) {
      auto entries = ctx.root.list_dir(dir);
      if (!entries) return;
      for (const auto& e : *entries) {
        std::string n = pre.empty() ? e.name : pre + "." + e.name;
        if (e.is_dir) {
          rec(dir + "/" + e.name, n);
        } else if (match_entity(*name, n) == Tri::kTrue) {
          auto data = ctx.root.read_file(dir + "/" + e.name);
          if (data) c.items.push_back(sysctl_item(n, *data));
        }
      }
    };
    rec("/proc/sys", "");
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
