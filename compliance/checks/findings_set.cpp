// Loading finding files for the findings check system.
#include "compliance/checks/findings_set.h"

#include <fstream>
#include <sstream>

#include "core/util/hash.h"
#include "core/util/jsonl.h"

namespace vigil::compliance {

Result<FindingSet> load_findings(const std::vector<std::string>& paths) {
  FindingSet set;
  const Micros now = now_micros();
  for (const auto& p : paths) {
    auto reader = JsonLinesReader::open(p);
    if (!reader) return reader.error();
    nlohmann::json j;
    Error err;
    while (reader->next(j, err)) {
      if (!err.what.empty()) return err;
      // Producers that write no tenant (single-tenant sensors) get "default".
      const bool has_tenant = j.is_object() && j.contains("tenant");
      auto f = core::finding_from_import(j, has_tenant ? "" : "default", now);
      if (!f) return Error{p + ":" + std::to_string(reader->line()), f.error().what};
      set.findings.push_back(std::move(*f));
    }
    Sha256 h;
    std::ifstream in(p, std::ios::binary);
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
      h.update(buf, static_cast<std::size_t>(in.gcount()));
    set.files.push_back(p);
    set.file_sha256.push_back(h.hex());
  }
  return set;
}

void expand_identity(HostIdentity& host, const FindingSet& set) {
  if (host.all_hosts) return;
  // Two passes: a scanner finding naming the host by hostname teaches us its IPs, which
  // another scanner finding may use alone.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& f : set.findings)
      if (f.source == core::Source::scanner && host.matches(f.asset)) host.absorb(f.asset);
}

}  // namespace vigil::compliance
