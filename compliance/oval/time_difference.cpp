// The time_difference local-variable function (OVAL 5.11): date-time strings in one of
// six formats turned into seconds, then subtracted. Two components give first - second
// (the spec's worked example and OpenSCAP agree on that order); one component gives
// now - value, the value read with format_2 as OpenSCAP does. Dates without a zone are
// taken as UTC. Where OpenSCAP 1.3.7 computes something else (win_filetime unsupported,
// unparsable strings as 0, year/month offsets, unsigned wrap-around) is documented in
// docs/oval-semantics.md "time_difference".
#include <ctime>
#include <optional>
#include <string>

#include "compliance/oval/functions.h"
#include "scanner/collectors/regex.h"

namespace vigil::compliance::oval {

namespace {

// The strptime(3) layouts OpenSCAP accepts per format (%n = any white space, %b = full
// or abbreviated month name); the whole string must be consumed.
constexpr const char* kYearMonthDay[] = {"%Y%m%d",        "%Y/%m/%d",     "%Y-%m-%d",
                                         "%Y%m%dT%H%M%S", "%Y/%m/%d%n%T", "%Y-%m-%d%n%T"};
constexpr const char* kMonthDayYear[] = {"%m/%d/%Y",     "%m-%d-%Y",     "%b,%n%d%n%Y",
                                         "%m/%d/%Y%n%T", "%m-%d-%Y%n%T", "%b,%n%d%n%Y%n%T"};
constexpr const char* kDayMonthYear[] = {"%d/%m/%Y", "%d-%m-%Y", "%d/%m/%Y%n%T", "%d-%m-%Y%n%T"};

template <std::size_t N>
std::optional<long long> parse_layouts(const std::string& s, const char* const (&layouts)[N]) {
  for (const char* layout : layouts) {
    std::tm tm{};
    const char* end = ::strptime(s.c_str(), layout, &tm);
    if (end && *end == '\0') return static_cast<long long>(::timegm(&tm));
  }
  return std::nullopt;
}

std::optional<long long> parse_integer(const std::string& s, int base) {
  if (s.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    long long v = std::stoll(s, &used, base);
    if (used == s.size()) return v;
  } catch (...) {
  }
  return std::nullopt;
}

// CIM_DATETIME "yyyymmddHHMMSS.mmmmmmsUUU" and the two WMI spellings OpenSCAP also takes.
std::optional<long long> parse_cim(const std::string& s) {
  struct Layout {
    const char* pattern;
    const char* strptime_layout;
    std::size_t keep;  // characters handed to strptime (the rest is sub-seconds / offset)
  };
  static const Layout kLayouts[] = {
      {"^[0-9]{14}\\.[0-9]{6}[+-][0-9]{3}$", "%Y%m%d%H%M%S", 14},
      {"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}:[0-9]{3}$", "%Y-%m-%d %H:%M:%S", 19},
      {"^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}:[0-9]{3}$", "%m-%d-%Y %H:%M:%S", 19},
  };
  for (const auto& l : kLayouts) {
    auto re = scanner::Regex::get(l.pattern);
    if (!re) return std::nullopt;
    if ((*re)->search(s) != scanner::Regex::Match::kYes) continue;
    const char* layouts[] = {l.strptime_layout};
    return parse_layouts(s.substr(0, l.keep), layouts);
  }
  return std::nullopt;
}

// Windows FILETIME: 100 ns ticks since 1601-01-01 UTC, written in hexadecimal (as the
// registry and WMI show it; an optional 0x prefix).
std::optional<long long> parse_filetime(std::string s) {
  if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) s.erase(0, 2);
  if (s.empty() || s.size() > 16) return std::nullopt;
  unsigned long long ticks = 0;
  for (char ch : s) {
    int d = (ch >= '0' && ch <= '9')   ? ch - '0'
            : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
            : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                       : -1;
    if (d < 0) return std::nullopt;
    ticks = ticks * 16 + static_cast<unsigned>(d);
  }
  constexpr long long kEpochDelta = 11644473600LL;  // seconds from 1601 to 1970
  return static_cast<long long>(ticks / 10000000ULL) - kEpochDelta;
}

std::optional<long long> to_seconds(const std::string& v, const std::string& format) {
  if (format == "year_month_day") return parse_layouts(v, kYearMonthDay);
  if (format == "month_day_year") return parse_layouts(v, kMonthDayYear);
  if (format == "day_month_year") return parse_layouts(v, kDayMonthYear);
  if (format == "seconds_since_epoch") return parse_integer(v, 10);
  if (format == "win_filetime") return parse_filetime(v);
  if (format == "cim_datetime") return parse_cim(v);
  return std::nullopt;
}

bool known_format(const std::string& f) {
  for (const char* k : {"year_month_day", "month_day_year", "day_month_year", "win_filetime",
                        "seconds_since_epoch", "cim_datetime"})
    if (f == k) return true;
  return false;
}

std::string attr_or(const Component& c, const char* name, const char* def) {
  auto it = c.attrs.find(name);
  return it == c.attrs.end() ? def : it->second;
}

}  // namespace

Values time_difference(const Component& c, const std::vector<Values>& args, std::time_t now) {
  Values out;
  out.flag = args.empty() ? scanner::Flag::kComplete : args[0].flag;
  for (const auto& a : args) out.flag = combine_flags(out.flag, a.flag);
  auto fail = [&](std::string why) {
    out.flag = scanner::Flag::kError;
    out.values.clear();
    out.message = std::move(why);
    return out;
  };
  if (args.empty() || args.size() > 2) return fail("time_difference takes one or two components");
  const std::string f1 = attr_or(c, "format_1", "year_month_day");
  const std::string f2 = attr_or(c, "format_2", "year_month_day");
  for (const auto& f : {f1, f2})
    if (!known_format(f)) return fail("time_difference: unknown date-time format '" + f + "'");
  if (out.flag == scanner::Flag::kError) return out;
  const std::vector<std::string> now_list = {std::to_string(static_cast<long long>(now))};
  const auto& firsts = args.size() == 2 ? args[0].values : now_list;
  const auto& seconds = args.size() == 2 ? args[1].values : args[0].values;
  const std::string& first_format = args.size() == 2 ? f1 : "seconds_since_epoch";
  for (const auto& a : firsts) {
    auto ta = to_seconds(a, first_format);
    if (!ta) return fail("time_difference: '" + a + "' is not a " + first_format + " date-time");
    for (const auto& b : seconds) {
      auto tb = to_seconds(b, f2);
      if (!tb) return fail("time_difference: '" + b + "' is not a " + f2 + " date-time");
      out.values.push_back(std::to_string(*ta - *tb));
    }
  }
  return out;
}

}  // namespace vigil::compliance::oval
