// Headless Chromium as a subprocess: --print-to-pdf for the PDF report, and
// --dump-dom / --screenshot for the tests. Each run gets a fresh profile
// directory and no network-facing background services.
#pragma once

#include <string>
#include <vector>

#include "core/util/result.h"

namespace vigil::reports {

// $VIGIL_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH; "" if none.
std::string find_chromium();

struct ChromiumRun {
  std::string stdout_text;  // what Chromium printed on stdout (--dump-dom)
  int exit_code = 0;
};

// Runs `chromium <hardening flags> args...`, killing it after timeout_s seconds.
// A missing Chromium is an error naming the package to install.
Result<ChromiumRun> run_chromium(const std::vector<std::string>& args, int timeout_s = 120);

// "file:///abs/path" with the characters that URLs must not carry percent-encoded.
std::string file_url(const std::string& path);

}  // namespace vigil::reports
