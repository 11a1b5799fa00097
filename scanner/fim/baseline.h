// File integrity monitoring: a baseline of what the files under some paths are (SHA-256,
// size, mode, owner, mtime, symlink target) and the comparison of a later state with it.
// The baseline file records the SHA-256 of its own content and is refused when that does
// not match: this catches accidental edits and naive tampering, not an attacker who
// rewrites the file and its hash (that needs a signature or a copy kept off the host).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding/finding.h"
#include "core/util/result.h"

namespace vigil::scanner::fim {

inline const std::vector<std::string> kDefaultPaths = {"/etc", "/usr/bin", "/usr/sbin", "/usr/lib"};

struct Record {
  char type = 'f';  // 'f' regular file, 'l' symlink
  std::uint64_t size = 0;
  std::uint32_t mode = 0;  // st_mode & 07777 (type is `type`)
  std::uint32_t uid = 0, gid = 0;
  std::int64_t mtime_ns = 0;
  std::string sha256;  // regular files; empty when the file could not be read
  std::string target;  // symlinks
  bool operator==(const Record&) const = default;
};

struct Baseline {
  std::string root = "/";
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  Micros created = 0;
  std::map<std::string, Record> files;                          // by path inside the root
  std::vector<std::pair<std::string, std::string>> unreadable;  // path, reason
};

struct BuildOptions {
  std::string root = "/";
  std::vector<std::string> paths = kDefaultPaths;
  std::vector<std::string> excludes;
  unsigned threads = 0;  // 0 = all cores
  bool one_filesystem = true;
};

// Walks (root-confined, see scanner/walk) and hashes every regular file in parallel.
Result<Baseline> build(const BuildOptions& opt);

// Writes PATH.tmp then renames; the JSON carries "sha256" over its own canonical content.
Status save(const Baseline& b, const std::string& path);
// Refuses a file whose recorded hash does not match its content.
Result<Baseline> load(const std::string& path);

struct Change {
  enum Kind { added, removed, modified } kind = modified;
  std::string path;
  std::vector<std::string> fields;  // for modified: "sha256", "size", "mode", "uid", ...
  std::optional<Record> before, after;
};

std::vector<Change> compare(const Baseline& before, const Baseline& after);

std::vector<core::Finding> to_findings(const std::vector<Change>& changes, const core::Asset& asset,
                                       Micros now);

nlohmann::json record_to_json(const Record& r);

}  // namespace vigil::scanner::fim
