#include "scanner/certs/audit.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "scanner/certs/config_refs.h"

namespace vigil::scanner::certs {
namespace {

using core::Severity;

const std::vector<std::string> kStandard = {"/etc/ssl", "/etc/pki", "/etc/letsencrypt"};
// Distribution trust stores: CA roots are self-signed by design and managed by packages.
const std::vector<std::string> kTrustStores = {
    "/etc/ssl/certs",       "/usr/share/ca-certificates", "/etc/pki/ca-trust",
    "/etc/pki/tls/certs",   "/etc/ca-certificates",       "/usr/local/share/ca-certificates",
    "/etc/pki/tls/cert.pem"};
const std::vector<std::string> kHomes = {"/root", "/home"};
// Toolchains and caches in homes ship test certificates and keys by the thousand; they
// are not the user's keys.
const std::vector<std::string> kHomeSkips = {".cache",        ".pyenv", ".rbenv",  ".nvm",
                                             ".npm",          ".cargo", ".rustup", "node_modules",
                                             "site-packages", ".git",   ".local"};

bool under(const std::string& path, const std::string& dir) {
  return path.compare(0, dir.size(), dir) == 0 &&
         (path.size() == dir.size() || path[dir.size()] == '/');
}
bool under_any(const std::string& path, const std::vector<std::string>& dirs) {
  for (const auto& d : dirs)
    if (under(path, d)) return true;
  return false;
}

// Names that hold keys in home directories; anything else there is not read.
bool key_like_name(const std::string& path) {
  const std::string name = path.substr(path.rfind('/') + 1);
  for (const char* p :
       {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"})
    if (name == p) return true;
  for (const char* ext : {".key", ".pem", ".p8"})
    if (name.size() > std::strlen(ext) &&
        name.compare(name.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

// uid/gid -> name from ROOT/etc/passwd and ROOT/etc/group (capped reads).
std::map<std::uint32_t, std::string> id_names(const std::string& root, const char* file) {
  std::map<std::uint32_t, std::string> m;
  std::ifstream in(walk::host_path(root, file));
  std::string line;
  for (int n = 0; n < 100000 && std::getline(in, line); ++n) {
    const auto a = line.find(':');
    const auto b = a == std::string::npos ? a : line.find(':', a + 1);
    const auto c = b == std::string::npos ? b : line.find(':', b + 1);
    if (c == std::string::npos) continue;
    try {
      m.emplace(static_cast<std::uint32_t>(std::stoul(line.substr(b + 1, c - b - 1))),
                line.substr(0, a));
    } catch (...) {
    }
  }
  return m;
}

std::string octal(std::uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

Result<std::string> read_entry(const walk::RootDir& root, const walk::Entry& e, std::uint64_t cap) {
  auto fd = root.open_file(e);
  if (!fd) return fd.error();
  std::string buf(static_cast<std::size_t>(std::min<std::uint64_t>(e.st.st_size, cap)), '\0');
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(*fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(*fd);
  buf.resize(got);
  return buf;
}

class Auditor {
 public:
  Auditor(const AuditOptions& opt, const core::Asset& asset, AuditReport& r)
      : opt_(opt),
        asset_(asset),
        r_(r),
        users_(id_names(opt.root, "/etc/passwd")),
        groups_(id_names(opt.root, "/etc/group")) {}

  void cert(const std::string& path, const CertInfo& c) {
    const Micros now = opt_.now;
    const long long days_left = (c.not_after - now) / (86400LL * 1000000);
    nlohmann::json ev = {{"path", path},
                         {"subject", c.subject},
                         {"issuer", c.issuer},
                         {"serial", c.serial},
                         {"cert_sha256", c.sha256},
                         {"not_before", format_rfc3339(c.not_before)},
                         {"not_after", format_rfc3339(c.not_after)},
                         {"days_left", days_left},
                         {"signature_algorithm", c.sig_alg},
                         {"key_type", c.key_type},
                         {"key_bits", c.key_bits},
                         {"self_signed", c.self_signed},
                         {"ca", c.is_ca}};
    if (!c.curve.empty()) ev["curve"] = c.curve;
    const std::string who = c.subject.empty() ? path : c.subject + " (" + path + ")";
    const std::vector<core::Reference> pki = {{"nist-800-53", "SC-17"}, {"nist-800-53", "SC-12"}};
    const std::vector<core::Reference> crypto = {{"cis-controls-v8", "3.10"},
                                                 {"nist-800-53", "SC-13"}};
    if (c.not_after < now)
      add("host.cert.expired", Severity::high, "Certificate expired: " + who,
          "The certificate expired on " + format_rfc3339(c.not_after) + ".", ev, pki);
    else if (c.not_after < now + static_cast<Micros>(opt_.warn_days) * 86400 * 1000000)
      add("host.cert.expiring", Severity::medium,
          "Certificate expires in " + std::to_string(days_left) + " days: " + who,
          "The certificate expires on " + format_rfc3339(c.not_after) + ", within " +
              std::to_string(opt_.warn_days) + " days.",
          ev, pki);
    if (c.not_before > now)
      add("host.cert.not_yet_valid", Severity::medium, "Certificate not yet valid: " + who,
          "The certificate is valid only from " + format_rfc3339(c.not_before) +
              " (clock or issuance error).",
          ev, pki);
    if (weak_key(c.key_type, c.key_bits))
      add("host.cert.weak_key", Severity::high,
          "Weak " + c.key_type + " key (" + std::to_string(c.key_bits) + " bits): " + who,
          "RSA and DSA keys need at least 2048 bits, elliptic curves at least 224.", ev, crypto);
    // Nobody verifies a self-signed certificate's signature (it is trusted, or not, as a
    // whole), so its hash is moot; the self-signed finding covers it.
    const bool moot = c.self_signed;
    if (!moot &&
        (c.sig_hash == "md5" || c.sig_hash == "sha1" || c.sig_hash == "md4" || c.sig_hash == "md2"))
      add("host.cert.weak_signature", c.sig_hash == "sha1" ? Severity::medium : Severity::high,
          "Certificate signed with " + c.sig_hash + ": " + who,
          "The signature uses " + c.sig_alg + "; collisions make such signatures forgeable.", ev,
          crypto);
    if (c.self_signed && !under_any(path, kTrustStores))
      add("host.cert.self_signed", c.is_ca ? Severity::low : Severity::medium,
          std::string(c.is_ca ? "Self-signed CA certificate" : "Self-signed certificate") +
              " outside the trust store: " + who,
          c.is_ca ? "A private root CA lies outside the system trust store; make sure it is meant "
                    "to be trusted."
                  : "Clients cannot verify a self-signed server certificate; they learn to click "
                    "through warnings.",
          ev, pki);
  }

  void key(const std::string& path, const KeyInfo& k, const struct stat& st) {
    const auto user = name_of(users_, st.st_uid), group = name_of(groups_, st.st_gid);
    nlohmann::json ev = {{"path", path},
                         {"format", k.format},
                         {"encrypted", k.encrypted},
                         {"mode", octal(st.st_mode)},
                         {"uid", st.st_uid},
                         {"gid", st.st_gid},
                         {"owner", user},
                         {"group", group}};
    if (!k.key_type.empty()) ev["key_type"] = k.key_type, ev["key_bits"] = k.key_bits;
    const std::vector<core::Reference> access = {
        {"cis-controls-v8", "3.3"}, {"nist-800-53", "AC-6"}, {"mitre-attack", "T1552.004"}};
    const bool home = under_any(path, kHomes);
    if (st.st_mode & S_IROTH)
      add("host.key.permissions", Severity::high, "Private key readable by everyone: " + path,
          "Mode " + octal(st.st_mode) + ": any local user can read the key.", ev, access);
    else if ((st.st_mode & S_IRGRP) && st.st_gid != 0 && group != "ssl-cert" && !home)
      add("host.key.permissions", Severity::medium,
          "Private key readable by group " + group + ": " + path,
          "Mode " + octal(st.st_mode) + ": members of group " + group + " can read the key.", ev,
          access);
    // Keys of services belong to root or a system account; a login user owning one is odd.
    if (!home && st.st_uid >= 1000 && st.st_uid != 65534)
      add("host.key.owner", Severity::medium, "Private key owned by user " + user + ": " + path,
          "Service keys should be owned by root or the service account, not a login user.", ev,
          access);
    if (home && !k.encrypted)
      add("host.key.unencrypted_in_home", Severity::medium,
          "Unencrypted private key in a home directory: " + path,
          "Anyone who obtains this file (backup, stolen disk, compromised account) can use the "
          "key.",
          ev,
          {{"cis-controls-v8", "3.11"}, {"nist-800-53", "SC-28"}, {"mitre-attack", "T1552.004"}});
    if (weak_key(k.key_type, k.key_bits))
      add("host.key.weak", Severity::high,
          "Weak " + k.key_type + " private key (" + std::to_string(k.key_bits) + " bits): " + path,
          "RSA and DSA keys need at least 2048 bits, elliptic curves at least 224.", ev,
          {{"cis-controls-v8", "3.10"}, {"nist-800-53", "SC-13"}});
  }

 private:
  static bool weak_key(const std::string& type, int bits) {
    if (bits <= 0) return false;
    if (type == "RSA" || type == "RSA-PSS" || type == "DSA") return bits < 2048;
    if (type == "EC") return bits < 224;
    return false;
  }
  static std::string name_of(const std::map<std::uint32_t, std::string>& m, std::uint32_t id) {
    auto it = m.find(id);
    return it == m.end() ? std::to_string(id) : it->second;
  }
  void add(const char* type, Severity sev, std::string title, std::string desc,
           const nlohmann::json& ev, std::vector<core::Reference> refs) {
    core::Finding f;
    f.asset = asset_;
    f.source = core::Source::scanner;
    f.type = type;
    f.severity = sev;
    f.title = std::move(title);
    f.description = std::move(desc);
    f.evidence = ev;
    f.fingerprint_fields = ev.contains("cert_sha256")
                               ? std::vector<std::string>{"path", "cert_sha256"}
                               : std::vector<std::string>{"path"};
    f.references = std::move(refs);
    f.first_seen = f.last_seen = opt_.now;
    f.id = core::fingerprint(f);
    r_.findings.push_back(std::move(f));
  }

  const AuditOptions& opt_;
  const core::Asset& asset_;
  AuditReport& r_;
  std::map<std::uint32_t, std::string> users_, groups_;
};

}  // namespace

Result<AuditReport> audit(const AuditOptions& in, const core::Asset& asset) {
  AuditOptions opt = in;
  if (opt.now == 0) opt.now = now_micros();
  if (opt.root.empty()) opt.root = "/";
  walk::RootDir root(opt.root);
  if (!root.ok()) return Error{opt.root, "cannot open root"};
  AuditReport r;

  // 1. Paths named by service configurations, resolved inside the root.
  std::vector<std::string> named = opt.paths;
  for (const auto& sc : service_configs()) {
    walk::Options w;
    w.root = opt.root;
    w.paths = {sc.path};
    auto t = walk::walk(w);
    if (!t) return t.error();
    for (const auto& e : t->entries) {
      if (e.st.st_size > static_cast<off_t>(opt.max_file)) continue;
      auto text = read_entry(root, e, opt.max_file);
      if (!text) continue;
      for (const auto& ref : refs_in_config(*text, sc.service, e.path)) {
        auto real = walk::resolve(root, ref.path);
        if (!real) {
          r.unreadable.push_back({ref.path, real.error().what + " (named in " + ref.config + ")"});
          continue;
        }
        r.config_refs.push_back(*real);
        named.push_back(*real);
      }
    }
  }

  // 2. Walk: standard locations minus trust stores; named paths as given; homes for keys.
  std::vector<walk::Entry> files;
  std::set<std::string> home_files;
  auto collect = [&](std::vector<std::string> paths, std::vector<std::string> excludes,
                     bool homes) -> Status {
    walk::Options w;
    w.root = opt.root;
    w.paths = std::move(paths);
    w.excludes = std::move(excludes);
    auto t = walk::walk(w);
    if (!t) return t.error();
    for (auto& p : t->stats.unreadable) r.unreadable.push_back(std::move(p));
    for (auto& e : t->entries) {
      if (homes && !key_like_name(e.path)) continue;
      if (homes) home_files.insert(e.path);
      files.push_back(std::move(e));
    }
    return ok_status();
  };
  if (auto st = collect(kStandard, kTrustStores, false); !st) return st.error();
  if (!named.empty())
    if (auto st = collect(named, {}, false); !st) return st.error();
  if (opt.homes)
    if (auto st = collect(kHomes, kHomeSkips, true); !st) return st.error();
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const auto& a, const auto& b) { return a.path == b.path; }),
              files.end());

  // 3. Parse and judge.
  Auditor judge(opt, asset, r);
  for (const auto& e : files) {
    if (e.st.st_size > static_cast<off_t>(opt.max_file)) continue;
    auto bytes = read_entry(root, e, opt.max_file);
    if (!bytes) {
      r.unreadable.push_back({e.path, bytes.error().what});
      continue;
    }
    ++r.files_examined;
    const Parsed p = parse(*bytes, e.path);
    r.bad_blocks += static_cast<std::uint64_t>(p.bad_blocks);
    // In homes only keys matter: a certificate there is nobody's served certificate.
    const bool home_only = home_files.count(e.path) && !under_any(e.path, named);
    for (const auto& c : p.certs) {
      if (home_only) break;
      r.certs.push_back({e.path, c});
      judge.cert(e.path, c);
    }
    for (const auto& k : p.keys) {
      r.keys.push_back({e.path, k, e.st});
      judge.key(e.path, k, e.st);
    }
  }
  return r;
}

}  // namespace vigil::scanner::certs
