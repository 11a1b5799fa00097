// Certificate and key paths named in service configurations (nginx, apache, postfix,
// dovecot): the files that are actually served, wherever they live on disk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::scanner::certs {

struct ConfigRef {
  std::string path;     // as written in the configuration
  std::string service;  // "nginx", "apache", "postfix", "dovecot"
  std::string config;   // configuration file (inside the root) that names it
};

// Extracts the referenced paths from one configuration file's text.
std::vector<ConfigRef> refs_in_config(std::string_view text, const std::string& service,
                                      const std::string& config);

// The configuration directories/files of each service, inside the root.
struct ServiceConfig {
  const char* service;
  const char* path;
};
const std::vector<ServiceConfig>& service_configs();

}  // namespace vigil::scanner::certs
