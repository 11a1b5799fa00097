// dpkginfo_object: installed packages from ROOT/var/lib/dpkg/status, parsed directly
// (never libapt, never the root's own dpkg). A package counts as installed when dpkg
// has a current version for it (status not "not-installed"/"config-files"), which is
// what libapt's CurrentVer — and so OpenSCAP — reports.
#include <sstream>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

struct Package {
  std::string name, arch, version;
  int line = 0;
};

std::vector<Package> parse_status(const std::string& text) {
  std::vector<Package> out;
  Package cur;
  std::string status;
  int lineno = 0, start = 0;
  auto flush = [&]() {
    if (!cur.name.empty()) {
      std::istringstream ss(status);
      std::string want, flag, state;
      ss >> want >> flag >> state;
      if (!state.empty() && state != "not-installed" && state != "config-files") {
        cur.line = start;
        out.push_back(cur);
      }
    }
    cur = Package{};
    status.clear();
  };
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon), val = line.substr(colon + 1);
    while (!val.empty() && (val[0] == ' ' || val[0] == '\t')) val.erase(0, 1);
    while (!val.empty() && (val.back() == ' ' || val.back() == '\r')) val.pop_back();
    if (key == "Package") {
      cur.name = val;
      start = lineno;
    } else if (key == "Status") {
      status = val;
    } else if (key == "Architecture") {
      cur.arch = val;
    } else if (key == "Version") {
      cur.version = val;
    }
  }
  flush();
  return out;
}

}  // namespace

Collection collect_dpkginfo(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* name = q.entity("name");
  if (!name) return Collection::with_flag(Flag::kError, "dpkginfo_object without name");
  static const std::string kStatus = "/var/lib/dpkg/status";
  auto& pkgs = ctx.cached<std::vector<Package>>("dpkginfo", [&] {
    auto text = ctx.root.read_file(kStatus);
    return text ? parse_status(*text) : std::vector<Package>{};
  });
  Collection c;
  for (const auto& p : pkgs) {
    if (match_entity(*name, p.name) != Tri::kTrue) continue;
    // epoch:upstream-revision; the revision starts after the first '-' of what follows
    // the epoch (OpenSCAP's dpkginfo split), epoch defaults to 0.
    std::string v = p.version, epoch = "0", release;
    if (auto colon = v.find(':'); colon != std::string::npos) {
      epoch = v.substr(0, colon);
      v = v.substr(colon + 1);
    }
    if (auto dash = v.find('-'); dash != std::string::npos) {
      release = v.substr(dash + 1);
      v = v.substr(0, dash);
    }
    Item it;
    it.type = "dpkginfo_item";
    it.source_file = kStatus;
    it.line = p.line;
    it.add("name", p.name);
    it.add("arch", p.arch);
    it.add("epoch", epoch);
    it.add("release", release);
    it.add("version", v);
    it.add("evr", epoch + ":" + v + (release.empty() ? "" : "-" + release), Datatype::kEvrString);
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
