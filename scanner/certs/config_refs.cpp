#include "scanner/certs/config_refs.h"

#include <cctype>

namespace vigil::scanner::certs {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Which directive names carry certificate/key paths, per service. Postfix and dovecot use
// "key = value"; nginx and apache "Directive value".
bool is_cert_directive(const std::string& service, std::string_view d) {
  if (service == "nginx")
    return d == "ssl_certificate" || d == "ssl_certificate_key" || d == "ssl_trusted_certificate" ||
           d == "ssl_client_certificate";
  if (service == "apache")
    return iequals(d, "SSLCertificateFile") || iequals(d, "SSLCertificateKeyFile") ||
           iequals(d, "SSLCertificateChainFile") || iequals(d, "SSLCACertificateFile");
  if (service == "postfix")
    return d == "smtpd_tls_cert_file" || d == "smtpd_tls_key_file" ||
           d == "smtpd_tls_chain_files" || d == "smtp_tls_cert_file" || d == "smtp_tls_key_file" ||
           d == "smtpd_tls_eccert_file" || d == "smtpd_tls_eckey_file" || d == "smtpd_tls_CAfile" ||
           d == "smtp_tls_CAfile";
  if (service == "dovecot")
    return d == "ssl_cert" || d == "ssl_key" || d == "ssl_ca" || d == "ssl_alt_cert" ||
           d == "ssl_alt_key" || d == "ssl_client_ca_file";
  return false;
}

}  // namespace

const std::vector<ServiceConfig>& service_configs() {
  static const std::vector<ServiceConfig> k = {
      {"nginx", "/etc/nginx"},     {"apache", "/etc/apache2"},
      {"apache", "/etc/httpd"},    {"postfix", "/etc/postfix/main.cf"},
      {"dovecot", "/etc/dovecot"},
  };
  return k;
}

std::vector<ConfigRef> refs_in_config(std::string_view text, const std::string& service,
                                      const std::string& config) {
  std::vector<ConfigRef> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    std::size_t k = 0;
    while (k < line.size() && !std::isspace(static_cast<unsigned char>(line[k])) && line[k] != '=')
      ++k;
    const std::string_view directive = line.substr(0, k);
    if (!is_cert_directive(service, directive)) continue;
    std::string_view value = trim(line.substr(k));
    if (!value.empty() && value[0] == '=') value = trim(value.substr(1));
    if (!value.empty() && value[0] == '<') value = trim(value.substr(1));  // dovecot "<file"
    // Postfix lists may hold several files separated by commas or spaces.
    std::size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() &&
             (value[i] == ',' || std::isspace(static_cast<unsigned char>(value[i]))))
        ++i;
      std::size_t j = i;
      while (j < value.size() && value[j] != ',' &&
             !std::isspace(static_cast<unsigned char>(value[j])))
        ++j;
      std::string_view v = value.substr(i, j - i);
      if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
        v = v.substr(1, v.size() - 2);
      // Only absolute paths: relative ones depend on the daemon's prefix, "data:" is inline.
      if (!v.empty() && v[0] == '/') out.push_back({std::string(v), service, config});
      i = j;
    }
  }
  return out;
}

}  // namespace vigil::scanner::certs
