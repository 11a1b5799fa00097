// partition_object: mounted filesystems from the root's /proc/mounts. A mounted root
// normally has no /proc/mounts, so offline the object does not exist (OpenSCAP agrees).
#include <sys/statvfs.h>

#include <cctype>
#include <sstream>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

// /proc/mounts escapes blanks as octal (\040).
std::string unescape(const std::string& s) {
  auto oct = [](char c) { return c >= '0' && c <= '7'; };
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && oct(s[i + 1]) && oct(s[i + 2]) && oct(s[i + 3])) {
      o += static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
      i += 3;
    } else {
      o += s[i];
    }
  }
  return o;
}

}  // namespace

Collection collect_partition(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* mp = q.entity("mount_point");
  if (!mp) return Collection::with_flag(Flag::kError, "partition_object without mount_point");
  auto text = ctx.root.read_file("/proc/mounts");
  if (!text) return Collection::with_flag(Flag::kDoesNotExist);
  Collection c;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string dev, mnt, type, opts;
    if (!(ls >> dev >> mnt >> type >> opts)) continue;
    mnt = unescape(mnt);
    if (match_entity(*mp, mnt) != Tri::kTrue) continue;
    Item it;
    it.type = "partition_item";
    it.source_file = "/proc/mounts";
    it.add("mount_point", mnt);
    it.add("device", unescape(dev));
    it.fields.push_back({"uuid", "", Datatype::kString, Status::kDoesNotExist});
    it.add("fs_type", type);
    std::size_t start = 0;
    for (;;) {
      auto comma = opts.find(',', start);
      it.add("mount_options",
             opts.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (ctx.root.live()) {
      struct statvfs sv;
      if (::statvfs(mnt.c_str(), &sv) == 0) {
        it.add("total_space", std::to_string(sv.f_blocks), Datatype::kInt);
        it.add("space_used", std::to_string(sv.f_blocks - sv.f_bfree), Datatype::kInt);
        it.add("space_left", std::to_string(sv.f_bavail), Datatype::kInt);
      }
    }
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
