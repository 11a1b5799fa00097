// Expansion of filepath / path+filename objects into concrete files (see paths.h).
// Pattern-matched paths are searched from the longest literal directory prefix of the
// regular expression, as OpenSCAP does, instead of walking the whole tree.
#include "scanner/collectors/file/paths.h"

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "scanner/collectors/compare.h"

namespace vigil::scanner {

std::string FileRef::filepath() const {
  return filename.empty() ? path : fs::join(path, filename);
}

std::string pattern_base_dir(const std::string& pattern) {
  if (pattern.empty() || pattern[0] != '^') return "/";
  std::string lit;
  const std::string meta = ".[]()*+?{}|$^";
  for (std::size_t i = 1; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size() && !std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
        lit += pattern[++i];
        continue;
      }
      break;
    }
    if (meta.find(c) != std::string::npos) {
      // A quantifier makes the previous character optional: it is not part of the prefix.
      if ((c == '*' || c == '?' || c == '{') && !lit.empty()) lit.pop_back();
      break;
    }
    lit += c;
  }
  auto slash = lit.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return lit.substr(0, slash);
}

namespace {

// Per-run memo of walks, directory listings and lstat results. SSG content walks the same
// trees (/, /usr/lib, /usr/bin...) from many objects (owner, group, permissions...) and
// lstats the same files each time; resolving a path inside the root costs one fstatat per
// component. Bounded: past kMaxMemoEntries listings/stats are computed but not kept, so a
// walk of a big live / does not grow without limit.
constexpr std::size_t kMaxMemoEntries = 100000;

struct FsMemo {
  std::map<std::string, std::vector<std::string>> walks;  // "dir\nmax_depth" -> dirs
  std::map<std::string, std::shared_ptr<const std::vector<fs::DirEntry>>> lists;
  std::map<std::string, std::optional<struct stat>> lstats;
  std::size_t entries = 0;
};

FsMemo& memo(CollectContext& ctx) {
  return ctx.cached<FsMemo>("file/paths memo", [] { return FsMemo{}; });
}

const std::vector<std::string>& walked_dirs(CollectContext& ctx, const std::string& base,
                                            int max_depth) {
  FsMemo& m = memo(ctx);
  const std::string key = base + '\n' + std::to_string(max_depth);
  if (auto it = m.walks.find(key); it != m.walks.end()) return it->second;
  std::vector<std::string> dirs;
  ctx.root.walk_dirs(base, max_depth, [&](const std::string& d) { dirs.push_back(d); });
  return m.walks.emplace(key, std::move(dirs)).first->second;
}

std::shared_ptr<const std::vector<fs::DirEntry>> listed(CollectContext& ctx,
                                                        const std::string& dir) {
  FsMemo& m = memo(ctx);
  if (auto it = m.lists.find(dir); it != m.lists.end()) return it->second;
  auto r = ctx.root.list_dir(dir);
  if (!r) return nullptr;
  auto p = std::make_shared<const std::vector<fs::DirEntry>>(std::move(*r));
  if (m.entries < kMaxMemoEntries) {
    m.entries += p->size() + 1;
    m.lists.emplace(dir, p);
  }
  return p;
}

bool is_true(const ObjectEntity& e, const std::string& v) {
  return match_entity(e, v) == Tri::kTrue;
}

void walk_matching_files(CollectContext& ctx, const ObjectEntity& e, std::set<std::string>* seen,
                         FileRefs* out) {
  std::set<std::string> bases;
  for (const auto& v : e.values)
    bases.insert(e.operation == Operation::kPatternMatch ? pattern_base_dir(v) : "/");
  for (const auto& base : bases) {
    for (const auto& dir : walked_dirs(ctx, base, -1)) {
      auto entries = listed(ctx, dir);
      if (!entries) continue;
      for (const auto& ent : *entries) {
        if (ent.is_dir) continue;  // a filepath names a file (oscap: directories never match)
        std::string full = fs::join(dir, ent.name);
        if (is_true(e, full) && seen->insert(full).second) out->refs.push_back({dir, ent.name});
      }
    }
  }
}

std::vector<std::string> matching_dirs(CollectContext& ctx, const ObjectEntity& path) {
  std::vector<std::string> dirs;
  if (path.operation == Operation::kEquals) {
    for (const auto& v : path.values) {
      auto st = ctx.root.stat(v);
      if (st && S_ISDIR(st->st_mode) && is_true(path, v)) dirs.push_back(v);
    }
    return dirs;
  }
  std::set<std::string> bases;
  for (const auto& v : path.values)
    bases.insert(path.operation == Operation::kPatternMatch ? pattern_base_dir(v) : "/");
  std::set<std::string> seen;
  for (const auto& base : bases)
    for (const auto& dir : walked_dirs(ctx, base, -1))
      if (is_true(path, dir) && seen.insert(dir).second) dirs.push_back(dir);
  return dirs;
}

}  // namespace

std::optional<struct stat> cached_lstat(CollectContext& ctx, const std::string& path) {
  FsMemo& m = memo(ctx);
  if (auto it = m.lstats.find(path); it != m.lstats.end()) return it->second;
  auto st = ctx.root.lstat(path);
  if (m.entries < kMaxMemoEntries) {
    ++m.entries;
    m.lstats.emplace(path, st);
  }
  return st;
}

FileRefs find_files(const ObjectQuery& q, CollectContext& ctx) {
  FileRefs out;
  std::set<std::string> seen;
  if (const auto* fp = q.entity("filepath")) {
    if (fp->operation == Operation::kEquals) {
      for (const auto& v : fp->values) {
        if (!cached_lstat(ctx, v) || !is_true(*fp, v) || !seen.insert(v).second) continue;
        auto [dir, name] = fs::split(v);
        out.refs.push_back({dir, name});
      }
    } else {
      walk_matching_files(ctx, *fp, &seen, &out);
    }
    return out;
  }
  const auto* path = q.entity("path");
  if (!path) {
    out.error = "object has neither filepath nor path";
    return out;
  }
  std::vector<std::string> dirs = matching_dirs(ctx, *path);
  auto get = [&](const char* k, const char* def) {
    auto it = q.behaviors.find(k);
    return it == q.behaviors.end() ? std::string(def) : it->second;
  };
  std::string direction = get("recurse_direction", "none");
  int max_depth = std::atoi(get("max_depth", "-1").c_str());
  if (direction == "down" && max_depth != 0) {
    std::vector<std::string> all;
    std::set<std::string> dseen;
    for (const auto& d : dirs)
      for (const auto& sub : walked_dirs(ctx, d, max_depth))
        if (dseen.insert(sub).second) all.push_back(sub);
    dirs = std::move(all);
  } else if (direction == "up" && max_depth != 0) {
    std::vector<std::string> all;
    for (const auto& d : dirs) {
      std::string cur = d;
      for (int depth = 0;; ++depth) {
        all.push_back(cur);
        if (cur == "/" || (max_depth > 0 && depth >= max_depth)) break;
        cur = fs::split(cur).first;
      }
    }
    dirs = std::move(all);
  }
  const auto* fname = q.entity("filename");
  for (const auto& d : dirs) {
    if (!fname || fname->nil) {
      if (seen.insert(d).second) out.refs.push_back({d, ""});
      continue;
    }
    if (fname->operation == Operation::kEquals) {
      for (const auto& v : fname->values) {
        std::string full = fs::join(d, v);
        auto st = cached_lstat(ctx, full);
        if (st && !S_ISDIR(st->st_mode) && is_true(*fname, v) && seen.insert(full).second)
          out.refs.push_back({d, v});
      }
      continue;
    }
    auto entries = listed(ctx, d);
    if (!entries) continue;
    for (const auto& e : *entries) {
      // A filename designates files: directories are only walked (OpenSCAP agrees).
      if (e.is_dir) continue;
      std::string full = fs::join(d, e.name);
      if (is_true(*fname, e.name) && seen.insert(full).second) out.refs.push_back({d, e.name});
    }
  }
  return out;
}

}  // namespace vigil::scanner
