#include "scanner/yara/rules.h"

#include <yara.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "core/util/hash.h"

namespace vigil::scanner::yara {
namespace {

struct CompileErrors {
  std::vector<Error> errors;
};

void on_compile_message(int level, const char* file, int line, const YR_RULE*, const char* msg,
                        void* user) {
  if (level != YARA_ERROR_LEVEL_ERROR) return;  // warnings (slow rules) are not fatal
  auto* ce = static_cast<CompileErrors*>(user);
  ce->errors.push_back(
      Error{std::string(file ? file : "?") + ":" + std::to_string(line), msg ? msg : "error"});
}

size_t hash_write(const void* ptr, size_t size, size_t count, void* user) {
  static_cast<Sha256*>(user)->update(ptr, size * count);
  return count;
}

struct CompilerDeleter {
  void operator()(YR_COMPILER* c) const { yr_compiler_destroy(c); }
};

}  // namespace

void ensure_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    yr_initialize();
    std::atexit([] { yr_finalize(); });
  });
}

Rules::~Rules() {
  if (rules_) yr_rules_destroy(rules_);
}

Result<std::unique_ptr<Rules>> Rules::compile(const std::string& path) {
  ensure_initialized();
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<std::string, std::string>> sources;  // file, namespace
  if (fs::is_directory(path, ec)) {
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      const auto ext = it->path().extension().string();
      if (!it->is_regular_file(ec) || (ext != ".yar" && ext != ".yara")) continue;
      auto rel = fs::relative(it->path(), path, ec).replace_extension().generic_string();
      sources.emplace_back(it->path().string(), rel);
    }
    if (ec) return Error{path, "cannot list rules directory: " + ec.message()};
    std::sort(sources.begin(), sources.end());
    if (sources.empty()) return Error{path, "no .yar or .yara files in the rules directory"};
  } else {
    sources.emplace_back(path, "default");
  }

  YR_COMPILER* raw = nullptr;
  if (yr_compiler_create(&raw) != ERROR_SUCCESS) return Error{path, "cannot create YARA compiler"};
  std::unique_ptr<YR_COMPILER, CompilerDeleter> compiler(raw);
  CompileErrors ce;
  yr_compiler_set_callback(raw, on_compile_message, &ce);
  // Each file is read once: libyara compiles the very bytes the pre-filter analyses.
  std::vector<RuleSource> texts;
  for (const auto& [file, ns] : sources) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{file, std::string("cannot open rules: ") + std::strerror(errno)};
    texts.push_back({file, {std::istreambuf_iterator<char>(in), {}}});
    auto& text = texts.back().text;
    if (text.empty()) continue;  // no rules; fmemopen refuses a zero-size buffer
    FILE* f = ::fmemopen(text.data(), text.size(), "r");
    if (!f) return Error{file, std::string("cannot read rules: ") + std::strerror(errno)};
    yr_compiler_add_file(raw, f, ns.c_str(), file.c_str());
    std::fclose(f);
    // libyara refuses more input after an error: report what we have.
    if (!ce.errors.empty()) break;
  }
  if (!ce.errors.empty()) {
    Error e = ce.errors.front();
    if (ce.errors.size() > 1)
      e.what += " (and " + std::to_string(ce.errors.size() - 1) + " more errors)";
    return e;
  }
  auto out = std::unique_ptr<Rules>(new Rules());
  if (yr_compiler_get_rules(raw, &out->rules_) != ERROR_SUCCESS)
    return Error{path, "cannot build compiled rules (out of memory?)"};
  for (const auto& s : sources) out->files_.push_back(s.first);
  std::vector<std::string> ids;
  YR_RULE* rule;
  yr_rules_foreach(out->rules_, rule) {
    ids.emplace_back(rule->identifier);
  }
  out->count_ = ids.size();
  out->prefilter_ = Prefilter::analyse(texts, ids);
  Sha256 h;
  YR_STREAM stream{};
  stream.user_data = &h;
  stream.write = hash_write;
  if (yr_rules_save_stream(out->rules_, &stream) != ERROR_SUCCESS)
    return Error{path, "cannot serialise compiled rules for hashing"};
  h.update(YR_VERSION);
  out->hash_ = h.hex();
  return out;
}

}  // namespace vigil::scanner::yara
