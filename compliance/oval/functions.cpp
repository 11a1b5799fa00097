// Local-variable functions (see functions.h). Cartesian products for concat and
// arithmetic follow the OVAL spec: every combination of argument values, in order.
#include "compliance/oval/functions.h"

#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <set>
#include <sstream>

#include "scanner/collectors/regex.h"

namespace vigil::compliance::oval {

using scanner::Flag;

namespace {

int severity(Flag f) {
  switch (f) {
    case Flag::kError:
      return 5;
    case Flag::kNotCollected:
      return 4;
    case Flag::kNotApplicable:
      return 3;
    case Flag::kDoesNotExist:
      return 2;
    case Flag::kIncomplete:
      return 1;
    case Flag::kComplete:
      return 0;
  }
  return 5;
}

Values fail(std::string why) {
  Values v;
  v.flag = Flag::kError;
  v.message = std::move(why);
  return v;
}

std::string attr(const Component& c, const char* name, const char* def = "") {
  auto it = c.attrs.find(name);
  return it == c.attrs.end() ? def : it->second;
}

std::string format_number(long double v, bool is_int) {
  if (is_int) return std::to_string(static_cast<std::intmax_t>(v));
  std::ostringstream o;
  o << static_cast<double>(v);
  return o.str();
}

}  // namespace

Flag combine_flags(Flag a, Flag b) {
  return severity(a) >= severity(b) ? a : b;
}

std::string escape_regex(const std::string& s) {
  static const std::string meta = "\\^$.[](){}*+?|/";
  std::string o;
  for (char ch : s) {
    if (meta.find(ch) != std::string::npos) o += '\\';
    o += ch;
  }
  return o;
}

std::string glob_to_regex(const std::string& g, bool noescape) {
  std::string o = "^";
  for (std::size_t i = 0; i < g.size(); ++i) {
    char ch = g[i];
    if (ch == '\\' && !noescape && i + 1 < g.size()) {
      o += escape_regex(std::string(1, g[++i]));
    } else if (ch == '*') {
      o += "[^/]*";
    } else if (ch == '?') {
      o += "[^/]";
    } else if (ch == '[') {
      auto close = g.find(']', i + 1);
      if (close == std::string::npos) {
        o += "\\[";
      } else {
        std::string cls = g.substr(i + 1, close - i - 1);
        if (!cls.empty() && cls[0] == '!') cls[0] = '^';
        o += "[" + cls + "]";
        i = close;
      }
    } else {
      o += escape_regex(std::string(1, ch));
    }
  }
  return o + "$";
}

Values apply_function(const Component& c, Datatype dt, const std::vector<Values>& args) {
  Values out;
  for (const auto& a : args) out.flag = combine_flags(out.flag, a.flag);
  for (const auto& a : args)
    if (!a.message.empty() && out.message.empty()) out.message = a.message;
  if (out.flag == Flag::kError) return out;
  const std::string& k = c.kind;
  if (k == "time_difference") return time_difference(c, args, std::time(nullptr));
  if (k == "count") {
    std::size_t n = 0;
    for (const auto& a : args) n += a.values.size();
    // count of nothing is "0" but keeps the "does not exist" flag: OpenSCAP then treats
    // the variable as having no usable value (an object using it does not exist).
    out.values = {std::to_string(n)};
    return out;
  }
  if (k == "unique") {
    std::set<std::string> seen;
    for (const auto& a : args)
      for (const auto& v : a.values)
        if (seen.insert(v).second) out.values.push_back(v);
    return out;
  }
  if (k == "concat" || k == "arithmetic") {
    if (args.empty()) return fail(k + " without arguments");
    bool add = attr(c, "arithmetic_operation", "add") == "add";
    bool is_int = dt != Datatype::kFloat;
    std::vector<std::string> acc = args[0].values;
    for (std::size_t i = 1; i < args.size(); ++i) {
      std::vector<std::string> next;
      for (const auto& x : acc)
        for (const auto& y : args[i].values) {
          if (k == "concat") {
            next.push_back(x + y);
            continue;
          }
          char *e1 = nullptr, *e2 = nullptr;
          long double a = std::strtold(x.c_str(), &e1), b = std::strtold(y.c_str(), &e2);
          if (e1 == x.c_str() || *e1 || e2 == y.c_str() || *e2)
            return fail("arithmetic on a non-numeric value");
          next.push_back(format_number(add ? a + b : a * b, is_int));
        }
      acc = std::move(next);
    }
    out.values = std::move(acc);
    return out;
  }
  if (args.size() != 1) return fail(k + " takes one component");
  const auto& in = args[0].values;
  if (k == "regex_capture") {
    auto re = scanner::Regex::get(attr(c, "pattern"));
    if (!re) return fail(re.error().what);
    for (const auto& v : in) {
      std::vector<scanner::Regex::Group> g;
      std::string err;
      auto m = (*re)->search(v, 0, &g, &err);
      if (m == scanner::Regex::Match::kError) return fail(err);
      if (m == scanner::Regex::Match::kYes && g.size() > 1 && g[1].set)
        out.values.push_back(v.substr(g[1].begin, g[1].end - g[1].begin));
    }
    return out;
  }
  if (k == "substring") {
    long start = std::strtol(attr(c, "substring_start", "1").c_str(), nullptr, 10);
    long len = std::strtol(attr(c, "substring_length", "-1").c_str(), nullptr, 10);
    if (start < 1) start = 1;
    for (const auto& v : in) {
      std::size_t s = static_cast<std::size_t>(start - 1);
      if (s > v.size()) {
        out.values.push_back("");
        continue;
      }
      out.values.push_back(len < 0 ? v.substr(s) : v.substr(s, static_cast<std::size_t>(len)));
    }
    return out;
  }
  if (k == "split") {
    std::string d = attr(c, "delimiter");
    for (const auto& v : in) {
      if (d.empty()) {
        out.values.push_back(v);
        continue;
      }
      std::size_t start = 0;
      for (;;) {
        auto p = v.find(d, start);
        out.values.push_back(
            v.substr(start, p == std::string::npos ? std::string::npos : p - start));
        if (p == std::string::npos) break;
        start = p + d.size();
      }
    }
    return out;
  }
  if (k == "begin" || k == "end") {
    std::string ch = attr(c, "character");
    for (const auto& v : in) {
      bool has = k == "begin" ? v.rfind(ch, 0) == 0
                              : (v.size() >= ch.size() &&
                                 v.compare(v.size() - ch.size(), ch.size(), ch) == 0);
      out.values.push_back(has ? v : (k == "begin" ? ch + v : v + ch));
    }
    return out;
  }
  if (k == "escape_regex") {
    for (const auto& v : in) out.values.push_back(escape_regex(v));
    return out;
  }
  if (k == "glob_to_regex") {
    bool noescape = attr(c, "glob_noescape", "false") == "true";
    for (const auto& v : in) out.values.push_back(glob_to_regex(v, noescape));
    return out;
  }
  return fail("variable function <" + k + "> is not supported");
}

}  // namespace vigil::compliance::oval
