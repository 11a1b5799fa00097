// POSIX ustar archives, in memory: the evidence bundle's container. Small on
// purpose (regular files only) so it can be read defensively: every header is
// checksummed, every size bounded by the buffer, every name checked (relative,
// no "..", no duplicates) before anyone could think of unpacking it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace vigil::reports::tar {

inline constexpr std::size_t kBlock = 512;
inline constexpr std::size_t kMaxName = 100;  // ustar name field (we do not use prefix)

struct Member {
  std::string name;
  std::string data;
  std::size_t offset = 0;  // read(): where data starts in the archive
};

// Error when a name is unsafe (absolute, "..", empty component, too long, control bytes).
Status check_name(std::string_view name);

// Members in order, then the two zero blocks. mtime for every member.
Result<std::string> write(const std::vector<Member>& members, std::int64_t mtime);

// Parses a whole archive. Rejects: bad checksum, truncated data, non-regular
// members (links, devices, directories are not part of a bundle), unsafe or
// duplicate names, trailing garbage after the end-of-archive marker.
Result<std::vector<Member>> read(std::string_view bytes);

}  // namespace vigil::reports::tar
