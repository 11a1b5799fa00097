// password_object: /etc/passwd of the root (offline too, as OpenSCAP reads it).
#include "scanner/collectors/compare.h"
#include "scanner/collectors/password/colon_file.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_password(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* user = q.entity("username");
  if (!user) return Collection::with_flag(Flag::kError, "password_object without username");
  auto text = ctx.root.read_file("/etc/passwd");
  if (!text) return Collection::with_flag(Flag::kDoesNotExist, text.error().str());
  Collection c;
  for (const auto& r : parse_colon_file(*text)) {
    if (r.fields.size() < 7 || match_entity(*user, r.fields[0]) != Tri::kTrue) continue;
    Item it;
    it.type = "password_item";
    it.source_file = "/etc/passwd";
    it.line = r.line;
    it.add("username", r.fields[0]);
    it.add("password", r.fields[1]);
    it.add("user_id", r.fields[2], Datatype::kInt);
    it.add("group_id", r.fields[3], Datatype::kInt);
    it.add("gcos", r.fields[4]);
    it.add("home_dir", r.fields[5]);
    it.add("login_shell", r.fields[6]);
    it.add("last_login", "-1", Datatype::kInt);
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
