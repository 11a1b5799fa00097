#include "scanner/yara/prefilter.h"

#include <algorithm>
#include <cctype>

namespace vigil::scanner::yara {
namespace {

// Tokens of YARA source, just fine enough to find each rule's condition and to read
// the conjuncts we use. Text strings, regexes and hex strings are single tokens, so
// braces, slashes and keywords inside them cannot confuse the rule structure.
enum class Tok { ident, number, text, regex, hex, punct };

struct Token {
  Tok kind;
  std::string_view s;
  std::uint64_t num = 0;
  bool num_ok = false;  // an integer YARA reads as `num` (KB/MB applied)
};

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Index just past a `/* */` or `//` comment starting at i, or npos if unterminated.
std::size_t skip_comment(std::string_view src, std::size_t i) {
  if (src[i + 1] == '/') {
    const auto nl = src.find('\n', i);
    return nl == std::string_view::npos ? src.size() : nl + 1;
  }
  const auto end = src.find("*/", i + 2);
  return end == std::string_view::npos ? end : end + 2;
}

bool is_comment(std::string_view src, std::size_t i) {
  return src[i] == '/' && i + 1 < src.size() && (src[i + 1] == '/' || src[i + 1] == '*');
}

// Index of the closing delimiter of a quoted text or regex starting at i ('\' escapes;
// neither may span lines), or npos.
std::size_t quoted_end(std::string_view src, std::size_t i, char close) {
  for (std::size_t j = i + 1; j < src.size(); ++j) {
    if (src[j] == '\n') return std::string_view::npos;
    if (src[j] == '\\') {
      ++j;
      continue;
    }
    if (src[j] == close) return j;
  }
  return std::string_view::npos;
}

// Decimal (optionally KB/MB), 0x hex or 0o octal, as YARA's lexer reads integers.
Token lex_number(std::string_view src, std::size_t& i) {
  const std::size_t start = i;
  int base = 10;
  if (src.substr(i, 2) == "0x") base = 16, i += 2;
  if (src.substr(i, 2) == "0o") base = 8, i += 2;
  Token t{Tok::number, {}};
  t.num_ok = true;
  const std::size_t digits = i;
  for (; i < src.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(src[i])));
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99;
    if (d >= base) break;
    if (t.num > (std::numeric_limits<std::uint64_t>::max() - d) / base) t.num_ok = false;
    t.num = t.num * base + d;
  }
  if (i == digits) t.num_ok = false;
  if (base == 10 && (src.substr(i, 2) == "KB" || src.substr(i, 2) == "MB")) {
    const std::uint64_t mul = src[i] == 'K' ? 1024 : 1024 * 1024;
    if (t.num > std::numeric_limits<std::uint64_t>::max() / mul) t.num_ok = false;
    t.num *= mul;
    i += 2;
  }
  // Anything glued on (a float's ".5", a unit we do not know): not an integer we use.
  while (i < src.size() && (ident_char(src[i]) ||
                            (src[i] == '.' && i + 1 < src.size() && std::isdigit(src[i + 1])))) {
    t.num_ok = false;
    ++i;
  }
  // YARA integers are signed 64-bit.
  if (t.num > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    t.num_ok = false;
  t.s = src.substr(start, i - start);
  return t;
}

bool lex(std::string_view src, std::vector<Token>& out, std::string& err) {
  constexpr std::string_view kTwoChar[] = {"==", "!=", "<=", ">=", "..", "<<", ">>"};
  const auto npos = std::string_view::npos;
  for (std::size_t i = 0; i < src.size();) {
    const char c = src[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (is_comment(src, i)) {
      if ((i = skip_comment(src, i)) == npos) return err = "unterminated comment", false;
    } else if (c == '"' || c == '/') {  // in YARA '/' is never division ('\' is)
      const auto end = quoted_end(src, i, c);
      if (end == npos) return err = "unterminated string or regex", false;
      out.push_back({c == '"' ? Tok::text : Tok::regex, src.substr(i, end + 1 - i)});
      i = end + 1;
    } else if (c == '{' && !out.empty() && out.back().s == "=") {  // hex string
      std::size_t j = i + 1;
      while (j < src.size() && src[j] != '}') {
        if (is_comment(src, j)) {
          if ((j = skip_comment(src, j)) == npos) return err = "unterminated comment", false;
        } else {
          ++j;
        }
      }
      if (j >= src.size()) return err = "unterminated hex string", false;
      out.push_back({Tok::hex, src.substr(i, j + 1 - i)});
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      out.push_back(lex_number(src, i));
    } else if (ident_char(c) || ((c == '$' || c == '#' || c == '@' || c == '!') &&
                                 (i + 1 >= src.size() || src[i + 1] != '='))) {
      // Identifiers, keywords and string references ($a, $a*, #a, @a, !a).
      std::size_t j = i + 1;
      while (j < src.size() && (ident_char(src[j]) || src[j] == '*')) ++j;
      out.push_back({Tok::ident, src.substr(i, j - i)});
      i = j;
    } else {
      const auto two = src.substr(i, 2);
      const bool is_two =
          std::find(std::begin(kTwoChar), std::end(kTwoChar), two) != std::end(kTwoChar);
      out.push_back({Tok::punct, src.substr(i, is_two ? 2 : 1)});
      i += is_two ? 2 : 1;
    }
  }
  return true;
}

using Span = std::vector<Token>::const_iterator;

bool is(Span t, std::string_view s) {
  return (t->kind == Tok::ident || t->kind == Tok::punct) && t->s == s;
}

void make_impossible(Gate& g) {
  g.min_size = 1;
  g.max_size = 0;
}

// `filesize OP n` (op already flipped when filesize was on the right).
void apply_size(Gate& g, std::string_view op, std::uint64_t n) {
  if (op == "<") {
    if (n == 0) return make_impossible(g);
    g.max_size = std::min(g.max_size, n - 1);
  } else if (op == "<=") {
    g.max_size = std::min(g.max_size, n);
  } else if (op == ">") {
    g.min_size = std::max(g.min_size, n + 1);  // n < 2^63: no overflow
  } else if (op == ">=") {
    g.min_size = std::max(g.min_size, n);
  } else if (op == "==") {
    g.min_size = std::max(g.min_size, n);
    g.max_size = std::min(g.max_size, n);
  }
}

std::string_view flip(std::string_view op) {
  if (op == "<") return ">";
  if (op == ">") return "<";
  if (op == "<=") return ">=";
  if (op == ">=") return "<=";
  return op;  // == and != are symmetric
}

// `uintW[be](offset)` at b (4 tokens): the check it reads, or false.
bool read_uint(Span b, HeaderCheck& h) {
  static const struct {
    std::string_view name;
    unsigned width;
    bool be;
  } kFns[] = {{"uint8", 1, false},  {"uint16", 2, false},  {"uint32", 4, false},
              {"uint8be", 1, true}, {"uint16be", 2, true}, {"uint32be", 4, true}};
  for (const auto& f : kFns) {
    if (b[0].kind != Tok::ident || b[0].s != f.name) continue;
    // Offsets beyond a small header are left to libyara.
    if (!is(b + 1, "(") || b[2].kind != Tok::number || !b[2].num_ok || b[2].num > 4096 ||
        !is(b + 3, ")"))
      return false;
    h = {f.width, f.be, static_cast<std::uint32_t>(b[2].num), 0};
    return true;
  }
  return false;
}

// One conjunct that is exactly one of the recognised forms; anything else is ignored.
void conjunct(Span b, Span e, Gate& g) {
  const auto n = e - b;
  if (n == 3 && b[1].kind == Tok::punct) {
    if (is(b, "filesize") && b[2].kind == Tok::number && b[2].num_ok)
      apply_size(g, b[1].s, b[2].num);
    else if (is(b + 2, "filesize") && b[0].kind == Tok::number && b[0].num_ok)
      apply_size(g, flip(b[1].s), b[0].num);
    return;
  }
  if (n != 6) return;
  HeaderCheck h;
  Span value;
  if (read_uint(b, h) && is(b + 4, "==")) {
    value = b + 5;
  } else if (read_uint(b + 2, h) && is(b + 1, "==")) {
    value = b;
  } else {
    return;
  }
  if (value->kind != Tok::number || !value->num_ok) return;
  h.value = value->num;
  if (h.width < 8 && h.value >> (8 * h.width)) return make_impossible(g);  // never equal
  g.header.push_back(h);
}

// The tokens of a condition: the conjuncts of its top-level `and`, each analysed; a
// top-level `or` means no necessary condition can be derived from this level.
void condition(Span b, Span e, Gate& g) {
  int depth = 0;
  for (Span t = b; t != e; ++t) {
    if (is(t, "(")) ++depth;
    if (is(t, ")")) --depth;
    if (depth == 0 && is(t, "or")) return;
  }
  for (Span start = b, t = b;; ++t) {
    if (t == e || (depth == 0 && is(t, "and"))) {
      // A conjunct wrapped whole in one pair of parentheses is a condition of its own.
      bool wrapped = e - start >= 2 && is(start, "(") && is(t - 1, ")");
      for (Span u = start; wrapped && u != t - 1; ++u) {
        depth += is(u, "(") - is(u, ")");
        if (depth == 0) wrapped = false;  // "(a) and (b)"-like: not one pair
      }
      depth = 0;
      if (start != t) {
        if (wrapped)
          condition(start + 1, t - 1, g);
        else
          conjunct(start, t, g);
      }
      if (t == e) return;
      start = t + 1;
      continue;
    }
    if (is(t, "(")) ++depth;
    if (is(t, ")")) --depth;
  }
}

// Is [b, e) a string reference set: `them` or `( $a, $b* , ... )`?
bool string_set(Span b, Span e) {
  if (e - b == 1) return is(b, "them");
  if (e - b < 3 || !is(b, "(") || !is(e - 1, ")")) return false;
  for (Span t = b + 1; t != e - 1; ++t) {
    const bool comma = (t - b) % 2 == 0;
    if (comma ? !is(t, ",") : !(t->kind == Tok::ident && t->s.size() > 1 && t->s[0] == '$'))
      return false;
  }
  return (e - b) % 2 == 1;
}

// Does the condition [b, e) need at least one of its rule's strings to match to be
// true? Only forms that are exactly so count: `$a`, `$a at ...`, `$a in ...`,
// `any|all|N>=1 of them|($a, $b*)`; `A or B` needs both sides to, `A and B` one of
// them; anything else (`not`, `for`, counts, comparisons) answers no.
bool needs_string(Span b, Span e) {
  if (b == e) return false;
  for (const char* op : {"or", "and"}) {
    int depth = 0;
    bool split = false, all = true, any = false;
    for (Span start = b, t = b;; ++t) {
      if (t == e || (depth == 0 && is(t, op))) {
        if (t == e && !split) break;
        split = true;
        const bool part = needs_string(start, t);
        all = all && part;
        any = any || part;
        if (t == e) return op[0] == 'o' ? all : any;
        start = t + 1;
        continue;
      }
      depth += is(t, "(") - is(t, ")");
    }
  }
  if (is(b, "(") && is(e - 1, ")")) {  // one pair around the whole condition?
    int depth = 0;
    for (Span t = b; t != e - 1; ++t) {
      depth += is(t, "(") - is(t, ")");
      if (depth == 0) return false;
    }
    return needs_string(b + 1, e - 1);
  }
  if (b->kind == Tok::ident && b->s.size() > 1 && b->s[0] == '$' && b->s.back() != '*')
    return e - b == 1 || (e - b >= 3 && (is(b + 1, "at") || is(b + 1, "in")));
  if (e - b >= 3 && is(b + 1, "of") &&
      (is(b, "any") || is(b, "all") || (b->kind == Tok::number && b->num_ok && b->num >= 1)))
    return string_set(b + 2, e);
  return false;
}

// Rules of one source: identifiers in order and one gate each.
bool parse(const std::vector<Token>& toks, std::vector<std::string>& ids, std::vector<Gate>& gates,
           std::vector<bool>& strings, std::string& err) {
  const Span end = toks.end();
  for (Span t = toks.begin(); t != end;) {
    if (is(t, "import") && t + 1 != end && t[1].kind == Tok::text) {
      t += 2;
      continue;
    }
    if (is(t, "include")) return err = "include directive", false;
    while (t != end && (is(t, "private") || is(t, "global"))) ++t;
    if (t == end || !is(t, "rule") || t + 1 == end || t[1].kind != Tok::ident)
      return err = "expected a rule", false;
    ids.emplace_back(t[1].s);
    t += 2;
    while (t != end && !is(t, "{")) ++t;  // tags
    while (t != end && !(is(t, "condition") && t + 1 != end && is(t + 1, ":"))) {
      if (is(t, "}")) return err = "rule without condition", false;
      ++t;
    }
    if (t == end) return err = "rule without condition", false;
    t += 2;
    const Span cond = t;
    int depth = 0;
    for (; t != end && !(depth == 0 && is(t, "}")); ++t) {
      if (is(t, "{")) return err = "brace in a condition", false;
      depth += is(t, "(") - is(t, ")");
      if (depth < 0) return err = "unbalanced parentheses", false;
    }
    if (t == end || depth != 0) return err = "unterminated rule", false;
    Gate g;
    condition(cond, t, g);
    strings.push_back(needs_string(cond, t));
    gates.push_back(std::move(g));
    ++t;
  }
  return true;
}

}  // namespace

Prefilter Prefilter::analyse(const std::vector<RuleSource>& sources,
                             const std::vector<std::string>& compiled) {
  Prefilter p;
  std::vector<std::string> ids;
  std::vector<Gate> gates;
  std::vector<bool> strings;
  for (const auto& src : sources) {
    std::vector<Token> toks;
    std::string err;
    if (!lex(src.text, toks, err) || !parse(toks, ids, gates, strings, err)) {
      p.why_ = src.file + ": " + err;
      return p;
    }
  }
  if (ids != compiled) {
    p.why_ = "the rules read from the source are not the rules libyara compiled";
    return p;
  }
  p.strings_required_ =
      !strings.empty() && std::all_of(strings.begin(), strings.end(), [](bool b) { return b; });
  for (std::size_t i = 0; i < gates.size(); ++i) {
    const Gate& g = gates[i];
    if (g.min_size > g.max_size) continue;  // this rule can never match
    if (g == Gate{}) {
      p.why_ = "rule " + ids[i] + " has no file size or header condition";
      return p;
    }
    if (std::find(p.gates_.begin(), p.gates_.end(), g) == p.gates_.end()) p.gates_.push_back(g);
    for (const auto& h : g.header)
      p.header_bytes_ = std::max<std::size_t>(p.header_bytes_, h.offset + h.width);
  }
  p.active_ = true;
  return p;
}

bool Prefilter::may_match(std::uint64_t size, std::string_view head) const {
  if (!active_) return true;
  for (const auto& g : gates_) {
    if (size < g.min_size || size > g.max_size) continue;
    bool ok = true;
    for (const auto& h : g.header) {
      if (h.offset + h.width > size) {  // undefined in YARA: the `and` is false
        ok = false;
        break;
      }
      if (h.offset + h.width > head.size()) return true;  // bytes not given: keep the file
      std::uint64_t v = 0;
      for (unsigned k = 0; k < h.width; ++k) {
        const auto byte = static_cast<unsigned char>(head[h.offset + k]);
        v |= std::uint64_t{byte} << (8 * (h.big_endian ? h.width - 1 - k : k));
      }
      if (v != h.value) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace vigil::scanner::yara
