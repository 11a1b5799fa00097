// symlink_object: filepath must be a symlink; canonical_path is its target fully
// resolved inside the root. Not a symlink -> no item; a dangling one -> error.
#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_symlink(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* fp = q.entity("filepath");
  if (!fp) return Collection::with_flag(Flag::kError, "symlink_object without filepath");
  Collection c;
  for (const auto& v : fp->values) {
    auto st = ctx.root.lstat(v);
    if (!st || !S_ISLNK(st->st_mode) || match_entity(*fp, v) != Tri::kTrue) continue;
    auto rel = ctx.root.resolve(v, true);
    // OpenSCAP: a dangling symlink makes the whole object an error.
    if (!rel || !ctx.root.lstat(v.empty() ? "/" : "/" + *rel))
      return Collection::with_flag(Flag::kError,
                                   "Link target of symlink '" + v + "' does not exist.");
    Item it;
    it.type = "symlink_item";
    it.source_file = v;
    it.add("filepath", v);
    it.add("canonical_path", *rel == "." ? "/" : "/" + *rel);
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
