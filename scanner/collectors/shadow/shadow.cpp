// shadow_object: /etc/shadow of the live system. encrypt_method is derived from the hash
// prefix ($1$ MD5, $5$ SHA256, $6$ SHA512, $y$ yescrypt...).
#include "scanner/collectors/compare.h"
#include "scanner/collectors/password/colon_file.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

std::string method(const std::string& pw) {
  if (pw.rfind("$1$", 0) == 0) return "MD5";
  if (pw.rfind("$2a$", 0) == 0 || pw.rfind("$2b$", 0) == 0 || pw.rfind("$2y$", 0) == 0)
    return "Blowfish";
  if (pw.rfind("$5$", 0) == 0) return "SHA-256";
  if (pw.rfind("$6$", 0) == 0) return "SHA-512";
  if (pw.rfind("$y$", 0) == 0) return "yescrypt";
  // Anything else ("*", "!", "!$6$..." locked, a 13-character crypt) is what oscap calls
  // DES: seen on the live host, `bin:*:...` -> encrypt_method DES.
  return "DES";
}

}  // namespace

Collection collect_shadow(const ObjectQuery& q, CollectContext& ctx) {
  // OpenSCAP's shadow probe has no offline mode (getspent is not root aware): it reports
  // "not applicable" for a mounted root, and so do we, to give the same verdicts.
  if (ctx.offline()) return Collection::with_flag(Flag::kNotApplicable, "shadow: offline root");
  const ObjectEntity* user = q.entity("username");
  if (!user) return Collection::with_flag(Flag::kError, "shadow_object without username");
  auto text = ctx.root.read_file("/etc/shadow");
  if (!text) return Collection::with_flag(Flag::kDoesNotExist, text.error().str());
  Collection c;
  const auto I = Datatype::kInt;
  for (const auto& r : parse_colon_file(*text)) {
    if (r.fields.size() < 9 || match_entity(*user, r.fields[0]) != Tri::kTrue) continue;
    Item it;
    it.type = "shadow_item";
    it.source_file = "/etc/shadow";
    it.line = r.line;
    it.add("username", r.fields[0]);
    it.add("password", r.fields[1]);
    // An empty field is -1, as getspent(3) returns it and oscap reports it (the flag
    // field is an unsigned long there: 18446744073709551615). Seen live: `bin:*:20228:0:
    // 99999:7:::` gives exp_inact -1, exp_date -1, flag 18446744073709551615.
    auto num = [&](const char* n, const std::string& v) {
      if (!v.empty())
        it.add(n, v, I);
      else
        it.add(n, std::string(n) == "flag" ? "18446744073709551615" : "-1", I);
    };
    num("chg_lst", r.fields[2]);
    num("chg_allow", r.fields[3]);
    num("chg_req", r.fields[4]);
    num("exp_warn", r.fields[5]);
    num("exp_inact", r.fields[6]);
    num("exp_date", r.fields[7]);
    num("flag", r.fields[8]);
    it.add("encrypt_method", method(r.fields[1]));
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
