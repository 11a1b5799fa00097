// Compiled YARA rules: compiled once per run from a file or a directory of .yar/.yara
// files, with compile errors naming file and line, and a hash of the compiled form that
// keys the scan cache (edits, includes and libyara upgrades all change it).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/util/result.h"
#include "scanner/yara/prefilter.h"

struct YR_RULES;

namespace vigil::scanner::yara {

// libyara's global state: yr_initialize() on first use, yr_finalize() at exit.
void ensure_initialized();

class Rules {
 public:
  ~Rules();
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;

  // `path` is one rules file (namespace "default") or a directory whose *.yar / *.yara
  // files (recursively, sorted) each get their relative path without extension as
  // namespace. Error where = "FILE:LINE" of the first compile error; what lists it and
  // the count of others.
  static Result<std::unique_ptr<Rules>> compile(const std::string& path);

  YR_RULES* raw() const { return rules_; }
  const std::string& hash() const { return hash_; }  // SHA-256 of the compiled rules
  std::size_t count() const { return count_; }
  const std::vector<std::string>& files() const { return files_; }
  // What the rules' conditions say about files no rule can match (see prefilter.h).
  const Prefilter& prefilter() const { return prefilter_; }

 private:
  Rules() = default;
  YR_RULES* rules_ = nullptr;
  std::string hash_;
  std::size_t count_ = 0;
  std::vector<std::string> files_;
  Prefilter prefilter_;
};

}  // namespace vigil::scanner::yara
