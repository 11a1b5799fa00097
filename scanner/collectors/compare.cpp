// Entity comparisons per datatype (see compare.h). Integer and float parsing follow
// OpenSCAP: the whole string must convert (leading blanks and a sign allowed), else error.
#include "scanner/collectors/compare.h"

#include <arpa/inet.h>

#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "scanner/collectors/regex.h"

namespace vigil::scanner {

void Counts::add(Tri r) {
  switch (r) {
    case Tri::kTrue:
      ++t;
      break;
    case Tri::kFalse:
      ++f;
      break;
    case Tri::kUnknown:
      ++u;
      break;
    case Tri::kError:
      ++e;
      break;
    case Tri::kNotEvaluated:
      ++ne;
      break;
    case Tri::kNotApplicable:
      ++na;
      break;
  }
}

Tri negate(Tri r) {
  if (r == Tri::kTrue) return Tri::kFalse;
  if (r == Tri::kFalse) return Tri::kTrue;
  return r;
}

Tri by_check(const Counts& c, Check check) {
  if (c.empty()) return Tri::kUnknown;
  if (c.na > 0 && c.ne == 0 && c.f == 0 && c.e == 0 && c.u == 0 && c.t == 0)
    return Tri::kNotApplicable;
  switch (check) {
    case Check::kAll:
      if (c.t > 0 && c.f == 0 && c.e == 0 && c.u == 0 && c.ne == 0) return Tri::kTrue;
      if (c.f > 0) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      break;
    case Check::kAtLeastOne:
      if (c.t > 0) return Tri::kTrue;
      if (c.f > 0 && c.u == 0 && c.e == 0 && c.ne == 0) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.f == 0 && c.u > 0) return Tri::kUnknown;
      if (c.f == 0 && c.u == 0 && c.ne > 0) return Tri::kNotEvaluated;
      break;
    case Check::kNoneSatisfy:
      if (c.t > 0) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      if (c.f > 0) return Tri::kTrue;
      break;
    case Check::kOnlyOne:
      if (c.t == 1 && c.e == 0 && c.u == 0 && c.ne == 0) return Tri::kTrue;
      if (c.t > 1) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      if (c.t != 1 && c.f > 0) return Tri::kFalse;
      break;
  }
  return Tri::kError;
}

Tri by_operator(const Counts& c, Operator op) {
  if (c.empty()) return Tri::kUnknown;
  if (c.na > 0 && c.ne == 0 && c.f == 0 && c.e == 0 && c.u == 0 && c.t == 0)
    return Tri::kNotApplicable;
  switch (op) {
    case Operator::kAnd:
      return by_check(c, Check::kAll);
    case Operator::kOr:  // unlike check="at least one", unknown wins over false here
      if (c.t > 0) return Tri::kTrue;
      if (c.f > 0 && c.e == 0 && c.u == 0 && c.ne == 0) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      break;
    case Operator::kOne:
      if (c.t == 1 && c.e == 0 && c.u == 0 && c.ne == 0) return Tri::kTrue;
      if (c.t >= 2) return Tri::kFalse;
      if (c.t == 0 && c.e == 0 && c.u == 0 && c.ne == 0) return Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      break;
    case Operator::kXor:
      if (c.e == 0 && c.u == 0 && c.ne == 0) return (c.t % 2 == 1) ? Tri::kTrue : Tri::kFalse;
      if (c.e > 0) return Tri::kError;
      if (c.u > 0) return Tri::kUnknown;
      if (c.ne > 0) return Tri::kNotEvaluated;
      break;
  }
  return Tri::kError;
}

namespace {

Tri tri(bool b) {
  return b ? Tri::kTrue : Tri::kFalse;
}

bool to_int(std::string_view s, std::intmax_t* out) {
  std::string z(s);
  char* end = nullptr;
  errno = 0;
  *out = std::strtoimax(z.c_str(), &end, 10);
  return errno != ERANGE && end != z.c_str() && *end == '\0';
}

bool to_double(std::string_view s, double* out) {
  std::string z(s);
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(z.c_str(), &end);
  return errno != ERANGE && end != z.c_str() && *end == '\0';
}

template <typename T>
Tri ordered(int cmp, Operation op, std::string* err) {
  switch (op) {
    case Operation::kEquals:
      return tri(cmp == 0);
    case Operation::kNotEqual:
      return tri(cmp != 0);
    case Operation::kGreaterThan:
      return tri(cmp > 0);
    case Operation::kGreaterThanOrEqual:
      return tri(cmp >= 0);
    case Operation::kLessThan:
      return tri(cmp < 0);
    case Operation::kLessThanOrEqual:
      return tri(cmp <= 0);
    default:
      if (err) *err = std::string("operation '") + to_string(op) + "' not valid for this datatype";
      return Tri::kError;
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

Tri compare_string(Operation op, std::string_view state, std::string_view item, std::string* err) {
  switch (op) {
    case Operation::kEquals:
      return tri(item == state);
    case Operation::kNotEqual:
      return tri(item != state);
    case Operation::kCaseInsensitiveEquals:
      return tri(iequals(item, state));
    case Operation::kCaseInsensitiveNotEqual:
      return tri(!iequals(item, state));
    case Operation::kPatternMatch: {
      auto re = Regex::get(state);
      if (!re) {
        if (err) *err = re.error().what;
        return Tri::kError;
      }
      switch ((*re)->search(item, 0, nullptr, err)) {
        case Regex::Match::kYes:
          return Tri::kTrue;
        case Regex::Match::kNo:
          return Tri::kFalse;
        case Regex::Match::kError:
          return Tri::kError;
      }
      return Tri::kError;
    }
    default:
      if (err) *err = std::string("operation '") + to_string(op) + "' not valid for string";
      return Tri::kError;
  }
}

// Numeric components of a "version" datatype value (separators: anything not a digit).
std::vector<std::intmax_t> version_parts(std::string_view s, bool* ok) {
  std::vector<std::intmax_t> parts;
  std::string cur;
  *ok = true;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      cur += c;
    } else if (c == '.' || c == '-' || c == ':' || c == '_') {
      if (cur.empty()) *ok = false;
      parts.push_back(cur.empty() ? 0 : std::strtoimax(cur.c_str(), nullptr, 10));
      cur.clear();
    } else {
      *ok = false;
    }
  }
  if (!cur.empty()) parts.push_back(std::strtoimax(cur.c_str(), nullptr, 10));
  return parts;
}

struct IpNet {
  int family = 0;
  unsigned char addr[16] = {};
  int prefix = 0;
};

std::optional<IpNet> parse_ip(int family, std::string_view s) {
  IpNet n;
  n.family = family;
  std::string a(s);
  int max = family == AF_INET ? 32 : 128;
  n.prefix = max;
  if (auto slash = a.find('/'); slash != std::string::npos) {
    std::string p = a.substr(slash + 1);
    a.resize(slash);
    if (family == AF_INET && p.find('.') != std::string::npos) {
      in_addr mask;
      if (inet_pton(AF_INET, p.c_str(), &mask) != 1) return std::nullopt;
      n.prefix = __builtin_popcount(mask.s_addr);
    } else {
      std::intmax_t v;
      if (!to_int(p, &v) || v < 0 || v > max) return std::nullopt;
      n.prefix = static_cast<int>(v);
    }
  }
  if (inet_pton(family, a.c_str(), n.addr) != 1) return std::nullopt;
  return n;
}

int ip_cmp(const IpNet& a, const IpNet& b) {
  int len = a.family == AF_INET ? 4 : 16;
  int c = std::memcmp(a.addr, b.addr, len);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool ip_contains(const IpNet& outer, const IpNet& inner) {  // inner within outer
  if (inner.prefix < outer.prefix) return false;
  int full = outer.prefix / 8, rest = outer.prefix % 8;
  if (std::memcmp(outer.addr, inner.addr, full) != 0) return false;
  if (rest == 0) return true;
  unsigned char m = static_cast<unsigned char>(0xff << (8 - rest));
  return (outer.addr[full] & m) == (inner.addr[full] & m);
}

Tri compare_ip(int family, Operation op, std::string_view state, std::string_view item,
               std::string* err) {
  auto s = parse_ip(family, state), i = parse_ip(family, item);
  if (!s || !i) {
    if (err) *err = "invalid IP address";
    return Tri::kError;
  }
  switch (op) {
    case Operation::kEquals:
      return tri(ip_cmp(*s, *i) == 0 && s->prefix == i->prefix);
    case Operation::kNotEqual:
      return tri(!(ip_cmp(*s, *i) == 0 && s->prefix == i->prefix));
    case Operation::kSubsetOf:
      return tri(ip_contains(*s, *i));
    case Operation::kSupersetOf:
      return tri(ip_contains(*i, *s));
    default:
      return ordered<int>(ip_cmp(*i, *s), op, err);
  }
}

void split_evr(std::string_view s, std::string_view* e, std::string_view* v, std::string_view* r) {
  *e = "0";
  if (auto c = s.find(':'); c != std::string_view::npos) {
    *e = s.substr(0, c);
    s.remove_prefix(c + 1);
  }
  *r = {};
  if (auto d = s.rfind('-'); d != std::string_view::npos) {
    *r = s.substr(d + 1);
    s = s.substr(0, d);
  }
  *v = s;
}

}  // namespace

int rpmvercmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  std::size_t i = 0, j = 0;
  auto at = [](std::string_view s, std::size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !std::isalnum(at(a, i)) && at(a, i) != '~' && at(a, i) != '^') ++i;
    while (j < b.size() && !std::isalnum(at(b, j)) && at(b, j) != '~' && at(b, j) != '^') ++j;
    if (at(a, i) == '~' || at(b, j) == '~') {
      if (at(a, i) != '~') return 1;
      if (at(b, j) != '~') return -1;
      ++i, ++j;
      continue;
    }
    if (at(a, i) == '^' || at(b, j) == '^') {
      if (i >= a.size()) return -1;
      if (j >= b.size()) return 1;
      if (at(a, i) != '^') return 1;
      if (at(b, j) != '^') return -1;
      ++i, ++j;
      continue;
    }
    if (i >= a.size() || j >= b.size()) break;
    std::size_t si = i, sj = j;
    bool isnum = std::isdigit(at(a, i));
    if (isnum) {
      while (std::isdigit(at(a, si))) ++si;
      while (std::isdigit(at(b, sj))) ++sj;
    } else {
      while (std::isalpha(at(a, si))) ++si;
      while (std::isalpha(at(b, sj))) ++sj;
    }
    if (sj == j) return isnum ? 1 : -1;
    std::string_view x = a.substr(i, si - i), y = b.substr(j, sj - j);
    if (isnum) {
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() > y.size() ? 1 : -1;
    }
    int c = x.compare(y);
    if (c != 0) return c < 0 ? -1 : 1;
    i = si, j = sj;
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i < a.size() ? 1 : -1;
}

int dpkg_verrevcmp(std::string_view a, std::string_view b) {
  auto at = [](std::string_view s, std::size_t k) -> int {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  auto order = [](int c) -> int {
    if (std::isdigit(c)) return 0;
    if (std::isalpha(c)) return c;
    if (c == '~') return -1;
    if (c) return c + 256;
    return 0;
  };
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(at(a, i))) || (j < b.size() && !std::isdigit(at(b, j)))) {
      int ac = order(at(a, i)), bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i, ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (std::isdigit(at(a, i)) && std::isdigit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i, ++j;
    }
    if (std::isdigit(at(a, i))) return 1;
    if (std::isdigit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

int evr_compare(std::string_view a, std::string_view b) {
  std::string_view ae, av, ar, be, bv, br;
  split_evr(a, &ae, &av, &ar);
  split_evr(b, &be, &bv, &br);
  if (int c = rpmvercmp(ae, be)) return c;
  if (int c = rpmvercmp(av, bv)) return c;
  return rpmvercmp(ar, br);
}

int debian_evr_compare(std::string_view a, std::string_view b) {
  std::string_view ae, av, ar, be, bv, br;
  split_evr(a, &ae, &av, &ar);
  split_evr(b, &be, &bv, &br);
  std::intmax_t x = 0, y = 0;
  to_int(ae, &x);
  to_int(be, &y);
  if (x != y) return x < y ? -1 : 1;
  if (int c = dpkg_verrevcmp(av, bv)) return c;
  return dpkg_verrevcmp(ar, br);
}

Tri compare(Datatype dt, Operation op, std::string_view state, std::string_view item,
            std::string* err) {
  switch (dt) {
    case Datatype::kString:
      return compare_string(op, state, item, err);
    case Datatype::kInt: {
      std::intmax_t s, i;
      if (!to_int(state, &s) || !to_int(item, &i)) {
        if (err)
          *err = "cannot convert '" + std::string(to_int(state, &s) ? item : state) + "' to int";
        return Tri::kError;
      }
      if (op == Operation::kBitwiseAnd) return tri((i & s) == s);
      if (op == Operation::kBitwiseOr) return tri((i | s) == s);
      return ordered<int>(i < s ? -1 : (i > s ? 1 : 0), op, err);
    }
    case Datatype::kFloat: {
      double s, i;
      if (!to_double(state, &s) || !to_double(item, &i)) {
        if (err) *err = "cannot convert to float";
        return Tri::kError;
      }
      return ordered<int>(i < s ? -1 : (i > s ? 1 : 0), op, err);
    }
    case Datatype::kBoolean: {
      bool s = state == "true" || state == "1", i = item == "true" || item == "1";
      if (op == Operation::kEquals) return tri(s == i);
      if (op == Operation::kNotEqual) return tri(s != i);
      if (err) *err = "operation not valid for boolean";
      return Tri::kError;
    }
    case Datatype::kBinary:
      if (op == Operation::kEquals) return tri(iequals(state, item));
      if (op == Operation::kNotEqual) return tri(!iequals(state, item));
      if (err) *err = "operation not valid for binary";
      return Tri::kError;
    case Datatype::kEvrString:
      return ordered<int>(evr_compare(item, state), op, err);
    case Datatype::kDebianEvrString:
      return ordered<int>(debian_evr_compare(item, state), op, err);
    case Datatype::kVersion: {
      bool ok1, ok2;
      auto s = version_parts(state, &ok1), i = version_parts(item, &ok2);
      if (!ok1 || !ok2) {
        if (err) *err = "invalid version value";
        return Tri::kError;
      }
      std::size_t n = std::max(s.size(), i.size());
      s.resize(n, 0);
      i.resize(n, 0);
      return ordered<int>(i < s ? -1 : (i > s ? 1 : 0), op, err);
    }
    case Datatype::kIpv4:
      return compare_ip(AF_INET, op, state, item, err);
    case Datatype::kIpv6:
      return compare_ip(AF_INET6, op, state, item, err);
    case Datatype::kFilesetRevision:
    case Datatype::kIosVersion:
      if (err) *err = std::string("unsupported datatype ") + to_string(dt);
      return Tri::kNotEvaluated;
    case Datatype::kRecord:
      if (err) *err = "record compared as a scalar";
      return Tri::kError;
  }
  return Tri::kError;
}

Tri match_entity(const ObjectEntity& e, std::string_view item_value, std::string* err) {
  Counts c;
  for (const auto& v : e.values) c.add(compare(e.datatype, e.operation, v, item_value, err));
  return by_check(c, e.var_check);
}

}  // namespace vigil::scanner
