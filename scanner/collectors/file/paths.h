// Which files a file-like object (file, textfilecontent54, symlink...) designates:
// filepath, or path + filename with the recurse behaviors, expanded inside the root.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "scanner/collectors/context.h"

namespace vigil::scanner {

struct FileRef {
  std::string path;      // directory
  std::string filename;  // empty when the object names the directory itself (nil filename)
  std::string filepath() const;
};

struct FileRefs {
  std::vector<FileRef> refs;
  std::string error;  // set when the object cannot be resolved (bad regex...)
};

FileRefs find_files(const ObjectQuery& q, CollectContext& ctx);

// lstat inside the root, remembered for the run (the same files are stat'ed by many objects).
std::optional<struct stat> cached_lstat(CollectContext& ctx, const std::string& path);

// Literal directory a "^/..." pattern starts in ("/" when there is none), for walks.
std::string pattern_base_dir(const std::string& pattern);

}  // namespace vigil::scanner
