// ustar writer/reader (see tar.h). Field layout from POSIX.1-2001 pax/ustar:
// name 0+100, mode 100+8, uid 108+8, gid 116+8, size 124+12, mtime 136+12,
// chksum 148+8, typeflag 156, linkname 157+100, magic 257+6, version 263+2,
// uname 265+32, gname 297+32, devmajor 329+8, devminor 337+8, prefix 345+155.
#include "reports/evidence/tar.h"

#include <cstdio>
#include <cstring>
#include <set>

namespace vigil::reports::tar {

namespace {

void octal(char* field, std::size_t width, std::uint64_t v) {
  // width-1 digits, NUL-terminated, zero-padded.
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(v));
}

unsigned checksum(const unsigned char* h) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum;
}

// Octal number in a fixed field: optional leading spaces, digits, then NUL/space.
bool parse_octal(const unsigned char* f, std::size_t width, std::uint64_t& out) {
  std::size_t i = 0;
  while (i < width && f[i] == ' ') ++i;
  std::uint64_t v = 0;
  std::size_t digits = 0;
  for (; i < width && f[i] >= '0' && f[i] <= '7'; ++i, ++digits) {
    if (v > (UINT64_MAX >> 3)) return false;
    v = (v << 3) | (f[i] - '0');
  }
  for (; i < width; ++i)
    if (f[i] != 0 && f[i] != ' ') return false;
  out = v;
  return digits > 0;
}

std::string field_str(const unsigned char* f, std::size_t width) {
  std::size_t n = 0;
  while (n < width && f[n]) ++n;
  return std::string(reinterpret_cast<const char*>(f), n);
}

}  // namespace

Status check_name(std::string_view name) {
  if (name.empty()) return Error{"", "empty member name"};
  if (name.size() > kMaxName) return Error{std::string(name), "member name longer than 100 bytes"};
  if (name.front() == '/') return Error{std::string(name), "absolute member path"};
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == '\\')
      return Error{std::string(name), "control character or backslash in member name"};
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..")
      return Error{std::string(name), "member path with an empty, '.' or '..' component"};
    start = end + 1;
  }
  return ok_status();
}

Result<std::string> write(const std::vector<Member>& members, std::int64_t mtime) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& m : members) {
    if (auto st = check_name(m.name); !st) return st.error();
    if (!seen.insert(m.name).second) return Error{m.name, "duplicate member name"};
    unsigned char h[kBlock] = {};
    std::memcpy(h, m.name.data(), m.name.size());
    char* c = reinterpret_cast<char*>(h);
    octal(c + 100, 8, 0644);
    octal(c + 108, 8, 0);
    octal(c + 116, 8, 0);
    octal(c + 124, 12, m.data.size());
    octal(c + 136, 12, mtime < 0 ? 0 : static_cast<std::uint64_t>(mtime));
    h[156] = '0';
    std::memcpy(c + 257, "ustar", 6);  // with its NUL
    std::memcpy(c + 263, "00", 2);
    std::memcpy(c + 265, "root", 4);
    std::memcpy(c + 297, "root", 4);
    octal(c + 329, 8, 0);
    octal(c + 337, 8, 0);
    std::snprintf(c + 148, 8, "%06o", checksum(h));
    h[155] = ' ';
    out.append(c, kBlock);
    out += m.data;
    out.append((kBlock - m.data.size() % kBlock) % kBlock, '\0');
  }
  out.append(2 * kBlock, '\0');
  return out;
}

Result<std::vector<Member>> read(std::string_view bytes) {
  std::vector<Member> out;
  std::set<std::string> seen;
  std::size_t off = 0;
  if (bytes.size() % kBlock != 0)
    return Error{"offset " + std::to_string(bytes.size()), "archive size is not a multiple of 512"};
  for (;;) {
    const std::string where = "offset " + std::to_string(off);
    if (off + kBlock > bytes.size()) return Error{where, "archive ends without its end marker"};
    const auto* h = reinterpret_cast<const unsigned char*>(bytes.data() + off);
    bool zero = true;
    for (std::size_t i = 0; i < kBlock && zero; ++i) zero = h[i] == 0;
    if (zero) {
      // End of archive: everything after must be zero padding too.
      for (std::size_t i = off; i < bytes.size(); ++i)
        if (bytes[i] != 0) return Error{where, "data after the end-of-archive marker"};
      return out;
    }
    std::uint64_t sum = 0, size = 0;
    if (!parse_octal(h + 148, 8, sum) || sum != checksum(h))
      return Error{where, "header checksum mismatch"};
    if (std::memcmp(h + 257, "ustar", 5) != 0) return Error{where, "not a ustar header"};
    if (!parse_octal(h + 124, 12, size)) return Error{where, "bad size field"};
    std::string name = field_str(h, 100);
    const std::string prefix = field_str(h + 345, 155);
    if (!prefix.empty()) name = prefix + "/" + name;
    if (h[156] != '0' && h[156] != 0)
      return Error{name, "member is not a regular file (type '" +
                             std::string(1, static_cast<char>(h[156])) + "')"};
    if (auto st = check_name(name); !st) return st.error();
    if (!seen.insert(name).second) return Error{name, "duplicate member name"};
    off += kBlock;
    if (size > bytes.size() - off)
      return Error{name, "member data runs past the end of the archive"};
    out.push_back(Member{name, std::string(bytes.substr(off, size)), off});
    off += (size + kBlock - 1) / kBlock * kBlock;
  }
}

}  // namespace vigil::reports::tar
