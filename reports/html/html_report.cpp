// Assembles the HTML page: escaped <title>, a strict Content-Security-Policy that
// pins the one stylesheet and the one script by SHA-256 (no network, no inline
// handlers, nothing else runs), the data as inert JSON, the renderer.
#include "reports/html/html_report.h"

#include <openssl/evp.h>

#include "core/util/hash.h"
#include "reports/escape.h"
#include "reports/formats.h"
#include "reports/html/html_data.h"
#include "reports/html/page_assets.h"

namespace vigil::reports {

namespace {

std::string csp_hash(std::string_view text) {
  Sha256 h;
  h.update(text);
  std::uint8_t digest[32];
  h.digest(digest);
  unsigned char b64[64];
  const int n = EVP_EncodeBlock(b64, digest, sizeof digest);
  return "'sha256-" + std::string(reinterpret_cast<char*>(b64), n) + "'";
}

}  // namespace

std::string render_html(const Report& report) {
  const std::string data = script_safe_json(html_data(report));
  std::string page;
  page.reserve(data.size() + kPageScript.size() + kPageStyle.size() + 2048);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src ";
  page += csp_hash(kPageScript);
  page += "; style-src ";
  page += csp_hash(kPageStyle);
  page += "; img-src data:; base-uri 'none'; form-action 'none'\">\n";
  page += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"vigil " VIGIL_VERSION "\">\n";
  page += "<title>" + escape_text(report.title, EscapeMode::html) + "</title>\n<style>";
  page += kPageStyle;
  page +=
      "</style>\n</head>\n<body>\n<div id=\"vigil-root\"><noscript>This report needs "
      "JavaScript to render; the same data is in the CSV and JSON reports.</noscript></div>\n";
  page += "<script type=\"application/json\" id=\"vigil-data\">";
  page += data;
  page += "</script>\n<script>";
  page += kPageScript;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

Status write_html(const Report& report, const std::string& out_path) {
  return write_file(out_path, render_html(report));
}

}  // namespace vigil::reports
