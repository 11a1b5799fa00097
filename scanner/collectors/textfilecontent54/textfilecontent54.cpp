// textfilecontent54_object: one PCRE over the whole file (multiline on by default, as
// OpenSCAP does), every match is an instance; the instance entity selects which become
// items (text = whole match, subexpression = each group).
#include <algorithm>
#include <map>
#include <memory>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/file/paths.h"
#include "scanner/collectors/regex.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

// Per-run cache of file contents: SSG content runs dozens of objects over the same few
// files (sshd_config, login.defs, pam.d/*). Bounded so big files are read each time.
constexpr std::size_t kMaxCachedFile = 1u << 20;
constexpr std::size_t kMaxCachedTotal = 16u << 20;

struct FileCache {
  std::map<std::string, std::shared_ptr<const std::string>> files;
  std::size_t bytes = 0;
};

Result<std::shared_ptr<const std::string>> read_cached(CollectContext& ctx, const std::string& fp) {
  auto& cache = ctx.cached<FileCache>("textfilecontent54 files", [] { return FileCache{}; });
  if (auto it = cache.files.find(fp); it != cache.files.end()) return it->second;
  auto data = ctx.root.read_file(fp);
  if (!data) return data.error();
  auto p = std::make_shared<const std::string>(std::move(*data));
  if (p->size() <= kMaxCachedFile && cache.bytes + p->size() <= kMaxCachedTotal) {
    cache.bytes += p->size();
    cache.files.emplace(fp, p);
  }
  return p;
}

}  // namespace

Collection collect_textfilecontent54(const ObjectQuery& q, CollectContext& ctx) {
  const ObjectEntity* pattern = q.entity("pattern");
  const ObjectEntity* instance = q.entity("instance");
  if (!pattern)
    return Collection::with_flag(Flag::kError, "textfilecontent54_object without pattern");
  auto flag_on = [&](const char* k, bool def) {
    auto it = q.behaviors.find(k);
    return it == q.behaviors.end() ? def : (it->second == "true" || it->second == "1");
  };
  std::uint32_t opts = 0;
  if (flag_on("multiline", true)) opts |= Regex::kMultiline;
  if (flag_on("singleline", false)) opts |= Regex::kDotAll;
  if (flag_on("ignore_case", false)) opts |= Regex::kCaseless;

  std::vector<std::shared_ptr<const Regex>> regexes;
  for (const auto& p : pattern->values) {
    auto re = Regex::get(p, opts);
    if (!re) return Collection::with_flag(Flag::kError, re.error().what);
    regexes.push_back(*re);
  }

  FileRefs refs = find_files(q, ctx);
  if (!refs.error.empty()) return Collection::with_flag(Flag::kError, refs.error);
  Collection c;
  bool had_error = false;
  for (const auto& r : refs.refs) {
    if (r.filename.empty()) continue;
    std::string fp = r.filepath();
    auto st = ctx.root.stat(fp);
    if (!st || !S_ISREG(st->st_mode)) continue;  // only regular files have content
    auto data = read_cached(ctx, fp);
    if (!data) {
      Item it;
      it.type = "textfilecontent_item";
      it.status = Status::kError;
      it.message = data.error().str();
      it.source_file = fp;
      it.add("filepath", fp);
      it.add("path", r.path);
      it.add("filename", r.filename);
      c.items.push_back(std::move(it));
      had_error = true;
      continue;
    }
    const std::string& text = **data;
    for (std::size_t pi = 0; pi < regexes.size(); ++pi) {
      const Regex& re = *regexes[pi];
      std::size_t pos = 0;
      int inst = 0;
      std::vector<Regex::Group> g;
      std::size_t line = 1, line_pos = 0;  // incremental line counting for evidence
      while (pos <= text.size()) {
        std::string err;
        auto m = re.search(text, pos, &g, &err);
        if (m == Regex::Match::kNo) break;
        if (m == Regex::Match::kError) {
          Item it;
          it.type = "textfilecontent_item";
          it.status = Status::kError;
          it.message = err;
          it.source_file = fp;
          it.add("filepath", fp);
          it.add("path", r.path);
          it.add("filename", r.filename);
          it.add("pattern", pattern->values[pi]);
          c.items.push_back(std::move(it));
          had_error = true;
          break;
        }
        ++inst;
        std::string inst_s = std::to_string(inst);
        bool want = !instance || match_entity(*instance, inst_s) == Tri::kTrue;
        if (want) {
          line += static_cast<std::size_t>(
              std::count(text.begin() + line_pos, text.begin() + g[0].begin, '\n'));
          line_pos = g[0].begin;
          Item it;
          it.type = "textfilecontent_item";
          it.source_file = fp;
          it.line = static_cast<int>(line);
          it.add("filepath", fp);
          it.add("path", r.path);
          it.add("filename", r.filename);
          it.add("pattern", pattern->values[pi]);
          it.add("instance", inst_s, Datatype::kInt);
          it.add("text", text.substr(g[0].begin, g[0].end - g[0].begin));
          for (std::size_t k = 1; k < g.size(); ++k)
            it.add("subexpression", g[k].set ? text.substr(g[k].begin, g[k].end - g[k].begin) : "");
          c.items.push_back(std::move(it));
        }
        // An empty match advances one byte so the search always terminates.
        pos = g[0].end > g[0].begin ? g[0].end : g[0].end + 1;
      }
    }
  }
  if (had_error)
    c.flag = Flag::kError;
  else
    c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
