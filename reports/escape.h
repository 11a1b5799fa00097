// The one text escaper of the reports: values from content, hosts or traffic
// written into HTML markup or into Markdown (which renderers may turn into HTML).
#pragma once

#include <string>
#include <string_view>

namespace vigil::reports {

enum class EscapeMode {
  html,      // element text or a quoted attribute: < > & " '
  markdown,  // a table cell or list item: < > & as entities, line breaks as spaces,
             // Markdown punctuation (| \ ` * _ [ ] # !) backslash-escaped
};

std::string escape_text(std::string_view s, EscapeMode mode);

}  // namespace vigil::reports
