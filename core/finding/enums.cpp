// Text forms of the finding enums: the words used on disk, in the store and on the CLI.
#include <array>

#include "core/finding/finding.h"

namespace vigil::core {
namespace {

constexpr std::array<std::string_view, 5> kSeverity = {"info", "low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 3> kSource = {"sensor", "scanner", "mapper"};
constexpr std::array<std::string_view, 5> kStatus = {"new", "acknowledged", "resolved",
                                                     "false_positive", "accepted_risk"};

template <typename E, std::size_t N>
std::optional<E> parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Severity s) {
  return kSeverity[static_cast<int>(s)];
}
std::string_view to_string(Source s) {
  return kSource[static_cast<int>(s)];
}
std::string_view to_string(Status s) {
  return kStatus[static_cast<int>(s)];
}
std::optional<Severity> parse_severity(std::string_view s) {
  return parse<Severity>(kSeverity, s);
}
std::optional<Source> parse_source(std::string_view s) {
  return parse<Source>(kSource, s);
}
std::optional<Status> parse_status(std::string_view s) {
  return parse<Status>(kStatus, s);
}

}  // namespace vigil::core
