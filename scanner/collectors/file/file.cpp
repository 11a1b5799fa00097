// file_object (unix): lstat of every designated file, like OpenSCAP's file probe
// (a symlink is reported as a "symbolic link", never followed).
#include <sys/stat.h>

#include "scanner/collectors/file/paths.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

const char* type_name(mode_t m) {
  if (S_ISREG(m)) return "regular";
  if (S_ISDIR(m)) return "directory";
  if (S_ISLNK(m)) return "symbolic link";
  if (S_ISFIFO(m)) return "named pipe";
  if (S_ISSOCK(m)) return "socket";
  if (S_ISCHR(m)) return "character special";
  if (S_ISBLK(m)) return "block special";
  return "unknown";
}

const char* b(bool v) {
  return v ? "true" : "false";
}

}  // namespace

Collection collect_file(const ObjectQuery& q, CollectContext& ctx) {
  FileRefs refs = find_files(q, ctx);
  if (!refs.error.empty()) return Collection::with_flag(Flag::kError, refs.error);
  Collection c;
  for (const auto& r : refs.refs) {
    auto st = cached_lstat(ctx, r.filepath());
    if (!st) continue;
    Item it;
    it.fields.reserve(24);  // exactly the fields below: no regrowth per item
    it.type = "file_item";
    it.source_file = r.filepath();
    it.add("filepath", r.filepath());
    it.add("path", r.path);
    it.add("filename", r.filename);
    it.add("type", type_name(st->st_mode));
    const auto I = Datatype::kInt;
    const auto B = Datatype::kBoolean;
    it.add("group_id", std::to_string(st->st_gid), I);
    it.add("user_id", std::to_string(st->st_uid), I);
    it.add("a_time", std::to_string(st->st_atime), I);
    it.add("c_time", std::to_string(st->st_ctime), I);
    it.add("m_time", std::to_string(st->st_mtime), I);
    it.add("size", std::to_string(st->st_size), I);
    mode_t m = st->st_mode;
    it.add("suid", b(m & S_ISUID), B);
    it.add("sgid", b(m & S_ISGID), B);
    it.add("sticky", b(m & S_ISVTX), B);
    it.add("uread", b(m & S_IRUSR), B);
    it.add("uwrite", b(m & S_IWUSR), B);
    it.add("uexec", b(m & S_IXUSR), B);
    it.add("gread", b(m & S_IRGRP), B);
    it.add("gwrite", b(m & S_IWGRP), B);
    it.add("gexec", b(m & S_IXGRP), B);
    it.add("oread", b(m & S_IROTH), B);
    it.add("owrite", b(m & S_IWOTH), B);
    it.add("oexec", b(m & S_IXOTH), B);
    it.add("has_extended_acl", "false", B);
    if (q.keep && !q.keep(it)) continue;  // filtered out: walks of / stay small
    c.items.push_back(std::move(it));
  }
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
