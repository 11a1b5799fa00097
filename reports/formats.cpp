// Dispatch on the format registry (format_list.h).
#include "reports/formats.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace vigil::reports {

namespace {
struct Entry {
  std::string_view name;
  Status (*write)(const Report&, const std::string&);
};
constexpr Entry kFormats[] = {
#define VIGIL_REPORT_FORMAT(name, desc) {#name, &write_##name},
#include "reports/format_list.h"
#undef VIGIL_REPORT_FORMAT
};
}  // namespace

std::vector<std::string> format_names() {
  std::vector<std::string> out;
  for (const auto& f : kFormats) out.emplace_back(f.name);
  return out;
}

Status write_report(const Report& report, std::string_view format, const std::string& out_path) {
  for (const auto& f : kFormats)
    if (f.name == format) return f.write(report, out_path);
  std::string known;
  for (const auto& f : kFormats) known += (known.empty() ? "" : ", ") + std::string(f.name);
  return Error{"", "unknown report format '" + std::string(format) + "' (known: " + known + ")"};
}

Status write_file(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{path, "cannot write"};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error{path, "write failed"};
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Error{path, "cannot write: " + ec.message()};
  }
  return ok_status();
}

}  // namespace vigil::reports
