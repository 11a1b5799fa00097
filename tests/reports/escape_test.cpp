// The one escaper behind the HTML <title> and every Markdown cell (reports/escape.h).
#include <catch2/catch.hpp>

#include "reports/escape.h"

using vigil::reports::escape_text;
using vigil::reports::EscapeMode;

TEST_CASE("escape_text: html and markdown modes", "[escape]") {
  const std::string hostile = "a\"><img src=x onerror='x'>|b_*c*\n&d";
  CHECK(escape_text(hostile, EscapeMode::html) ==
        "a&quot;&gt;&lt;img src=x onerror=&#39;x&#39;&gt;|b_*c*\n&amp;d");
  CHECK(escape_text(hostile, EscapeMode::markdown) ==
        "a\"&gt;&lt;img src=x onerror='x'&gt;\\|b\\_\\*c\\* &amp;d");
  CHECK(escape_text("[x](javascript:y) #!`\\", EscapeMode::markdown) ==
        "\\[x\\](javascript:y) \\#\\!\\`\\\\");
  CHECK(escape_text("plain text 1.0", EscapeMode::html) == "plain text 1.0");
}
