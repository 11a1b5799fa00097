// PCRE2 wrapper: compile cache, JIT, and resource limits (see regex.h).
#define PCRE2_CODE_UNIT_WIDTH 8
#include "scanner/collectors/regex.h"

#include <pcre2.h>

#include <map>
#include <mutex>

namespace vigil::scanner {
namespace {

// Limits chosen so real benchmark patterns never hit them while a ReDoS pattern on a
// small input fails within milliseconds.
constexpr std::uint32_t kMatchLimit = 5'000'000;
constexpr std::uint32_t kDepthLimit = 100'000;

struct Cache {
  std::mutex mu;
  std::map<std::pair<std::string, std::uint32_t>, std::shared_ptr<const Regex>> map;
};
Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: outlives static users
  return *c;
}

struct ThreadState {
  pcre2_match_context* mctx = nullptr;
  pcre2_jit_stack* jit = nullptr;
  ThreadState() {
    mctx = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(mctx, kMatchLimit);
    pcre2_set_depth_limit(mctx, kDepthLimit);
    jit = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, nullptr);
    pcre2_jit_stack_assign(mctx, nullptr, jit);
  }
  ~ThreadState() {
    pcre2_match_context_free(mctx);
    pcre2_jit_stack_free(jit);
  }
};
ThreadState& thread_state() {
  thread_local ThreadState ts;
  return ts;
}

}  // namespace

Regex::~Regex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

Result<std::shared_ptr<const Regex>> Regex::get(std::string_view pattern, std::uint32_t options) {
  auto& c = cache();
  std::lock_guard lock(c.mu);
  auto key = std::make_pair(std::string(pattern), options);
  if (auto it = c.map.find(key); it != c.map.end()) return it->second;
  std::uint32_t flags = 0;
  if (options & kMultiline) flags |= PCRE2_MULTILINE;
  if (options & kDotAll) flags |= PCRE2_DOTALL;
  if (options & kCaseless) flags |= PCRE2_CASELESS;
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   flags, &err, &off, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    return Error{"", "invalid regular expression '" + std::string(pattern) + "' at offset " +
                         std::to_string(off) + ": " + reinterpret_cast<char*>(buf)};
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  std::shared_ptr<Regex> re(new Regex);
  re->code_ = code;
  std::uint32_t n = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
  re->captures_ = static_cast<int>(n);
  c.map.emplace(std::move(key), re);
  return std::shared_ptr<const Regex>(re);
}

Regex::Match Regex::search(std::string_view subject, std::size_t start, std::vector<Group>* groups,
                           std::string* error) const {
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                       md, thread_state().mctx);
  Match result;
  if (rc == PCRE2_ERROR_NOMATCH) {
    result = Match::kNo;
  } else if (rc < 0) {
    if (error) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(rc, buf, sizeof buf);
      *error = std::string("regular expression match failed: ") + reinterpret_cast<char*>(buf);
    }
    result = Match::kError;
  } else {
    result = Match::kYes;
    if (groups) {
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
      groups->assign(captures_ + 1, Group{});
      for (int i = 0; i <= captures_ && i < rc; ++i) {
        if (ov[2 * i] == PCRE2_UNSET) continue;
        (*groups)[i] = Group{true, ov[2 * i], ov[2 * i + 1]};
      }
    }
  }
  pcre2_match_data_free(md);
  return result;
}

}  // namespace vigil::scanner
