// See escape.h. Both modes share the HTML entities because Markdown renderers
// pass raw HTML through.
#include "reports/escape.h"

namespace vigil::reports {

std::string escape_text(std::string_view s, EscapeMode mode) {
  const bool md = mode == EscapeMode::markdown;
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '&':
        out += "&amp;";
        continue;
      case '"':
        out += md ? "\"" : "&quot;";
        continue;
      case '\'':
        out += md ? "'" : "&#39;";
        continue;
      case '\r':
      case '\n':
        out.push_back(md ? ' ' : c);
        continue;
      case '|':
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '#':
      case '!':
        if (md) out.push_back('\\');
        out.push_back(c);
        continue;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace vigil::reports
