// Certificate and key audit on a generated root: certificates made here with the OpenSSL
// API (expired, expiring, not yet valid, SHA-1, 1024-bit, self-signed, DER) and the
// openssl/ssh-keygen CLIs, the corpus PKI (../shared/corpus/logs), paths named in nginx,
// postfix and dovecot configs, and private keys with bad modes, owners and homes.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "scanner/certs/audit.h"
#include "scanner/certs/config_refs.h"
#include "tests/scanner/walk_test_util.h"

using namespace vigil;
using namespace vigil::scanner;
namespace fs = std::filesystem;

namespace {

constexpr long kDay = 86400;

struct Pki {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  ~Pki() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// A certificate valid from now+from_days to now+to_days, signed by `issuer` (or itself).
void make_cert(Pki& out, const std::string& cn, int bits, const EVP_MD* md, long from_days,
               long to_days, const Pki* issuer, bool ca) {
  out.key = EVP_RSA_gen(static_cast<unsigned>(bits));
  REQUIRE(out.key != nullptr);
  out.cert = X509_new();
  X509_set_version(out.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(out.cert), 1000 + bits);
  X509_gmtime_adj(X509_getm_notBefore(out.cert), from_days * kDay);
  X509_gmtime_adj(X509_getm_notAfter(out.cert), to_days * kDay);
  X509_NAME* name = X509_get_subject_name(out.cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(out.cert, issuer ? X509_get_subject_name(issuer->cert) : name);
  X509_set_pubkey(out.cert, out.key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer->cert : out.cert, out.cert, nullptr, nullptr, 0);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints,
                                           ca ? "critical,CA:TRUE" : "CA:FALSE");
  X509_add_ext(out.cert, bc, -1);
  X509_EXTENSION_free(bc);
  REQUIRE(X509_sign(out.cert, issuer ? issuer->key : out.key, md) > 0);
}

void write_pem_cert(const std::string& path, X509* x) {
  fs::create_directories(fs::path(path).parent_path());
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  PEM_write_X509(f, x);
  std::fclose(f);
}

void write_der_cert(const std::string& path, X509* x) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  REQUIRE(n > 0);
  test::write_file(path, std::string(reinterpret_cast<char*>(der), n));
  OPENSSL_free(der);
}

void write_key(const std::string& path, EVP_PKEY* k, mode_t mode, uid_t uid = 0) {
  fs::create_directories(fs::path(path).parent_path());
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  ::chmod(path.c_str(), mode);
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), uid, 0) == 0);
}

// type -> set of paths, from the findings.
std::map<std::string, std::set<std::string>> by_type(const std::vector<core::Finding>& fs) {
  std::map<std::string, std::set<std::string>> m;
  for (const auto& f : fs) m[f.type].insert(f.evidence["path"].get<std::string>());
  return m;
}

}  // namespace

TEST_CASE("certs: config references from nginx, apache, postfix and dovecot") {
  const auto n = certs::refs_in_config(
      "server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/site.crt;\n"
      "  ssl_certificate_key  \"/etc/ssl/private/site.key\";\n  # ssl_certificate /old.crt;\n}\n",
      "nginx", "/etc/nginx/sites-enabled/x");
  REQUIRE(n.size() == 2);
  CHECK(n[0].path == "/etc/ssl/site.crt");
  CHECK(n[1].path == "/etc/ssl/private/site.key");
  const auto ap = certs::refs_in_config(
      "  SSLCertificateFile /a.crt\nsslcertificatekeyfile /a.key\n", "apache", "/etc/apache2/x");
  CHECK(ap.size() == 2);
  const auto pf = certs::refs_in_config(
      "smtpd_tls_cert_file=/etc/postfix/c.pem\nsmtpd_tls_chain_files = /k1.pem, /c1.pem\n"
      "smtpd_tls_key_file = $config_directory/k.pem\n",
      "postfix", "/etc/postfix/main.cf");
  REQUIRE(pf.size() == 3);  // the $variable one is not a path we can resolve
  CHECK(pf[2].path == "/c1.pem");
  const auto dv = certs::refs_in_config("ssl_cert = </etc/dovecot/d.pem\nssl = required\n",
                                        "dovecot", "/etc/dovecot/conf.d/10-ssl.conf");
  REQUIRE(dv.size() == 1);
  CHECK(dv[0].path == "/etc/dovecot/d.pem");
}

TEST_CASE("certs: audit of a generated root with the corpus PKI") {
  const auto base = test::fresh_dir("certs_audit");
  const std::string root = base + "/root";
  const std::string corpus = std::string(VIGIL_CORPUS_DIR) + "/logs";

  Pki ca, expired, expiring, notyet, sha1, weak, self_leaf, good, store_ca;
  make_cert(ca, "Vigil Test CA", 2048, EVP_sha256(), -10, 3650, nullptr, true);
  make_cert(expired, "expired.test", 2048, EVP_sha256(), -400, -35, &ca, false);
  make_cert(expiring, "expiring.test", 2048, EVP_sha256(), -300, 10, &ca, false);
  make_cert(notyet, "notyet.test", 2048, EVP_sha256(), 5, 400, &ca, false);
  make_cert(sha1, "sha1.test", 2048, EVP_sha1(), -1, 365, &ca, false);
  make_cert(weak, "weak.test", 1024, EVP_sha256(), -1, 365, &ca, false);
  make_cert(self_leaf, "self.test", 2048, EVP_sha256(), -1, 365, nullptr, false);
  make_cert(good, "good.test", 2048, EVP_sha256(), -1, 365, &ca, false);
  make_cert(store_ca, "Store Root", 2048, EVP_sha1(), -1000, -1, nullptr, true);

  write_pem_cert(root + "/etc/ssl/gen/ca.pem", ca.cert);
  write_pem_cert(root + "/etc/ssl/gen/expired.pem", expired.cert);
  write_pem_cert(root + "/etc/ssl/gen/expiring.pem", expiring.cert);
  write_pem_cert(root + "/etc/ssl/gen/notyet.pem", notyet.cert);
  write_pem_cert(root + "/etc/ssl/gen/sha1.pem", sha1.cert);
  write_der_cert(root + "/etc/ssl/gen/weak.der", weak.cert);
  write_pem_cert(root + "/etc/ssl/gen/self.pem", self_leaf.cert);
  // Trust store: an expired SHA-1 self-signed root there is the distribution's business.
  write_pem_cert(root + "/etc/ssl/certs/ca-certificates.crt", store_ca.cert);
  // Good leaf + chain in one file, named by nginx through a symlink chain.
  write_pem_cert(root + "/opt/tls/real.pem", good.cert);
  fs::create_directories(root + "/srv/tls");
  fs::create_symlink("/opt/tls/real.pem", root + "/srv/tls/site.crt");  // absolute: inside root
  test::write_file(
      root + "/etc/nginx/sites-enabled/site.conf",
      "server {\n ssl_certificate /srv/tls/site.crt;\n"
      " ssl_certificate_key /srv/tls/site.key;\n ssl_trusted_certificate /nope.pem;\n}\n");
  write_key(root + "/srv/tls/site.key", good.key, 0640);  // group root: fine
  // postfix names a cert outside the standard locations, dovecot a key.
  fs::create_directories(root + "/var/mail-certs");
  fs::copy_file(corpus + "/legacy.crt", root + "/var/mail-certs/legacy.crt");
  test::write_file(root + "/etc/postfix/main.cf",
                   "smtpd_tls_cert_file = /var/mail-certs/legacy.crt\n");
  test::write_file(root + "/etc/dovecot/conf.d/10-ssl.conf", "ssl_key = </var/dovecot/dove.key\n");
  write_key(root + "/var/dovecot/dove.key", weak.key, 0644);  // world-readable and 1024-bit
  // Corpus PKI in /etc/ssl: the root CA is self-signed, www/shop are fine for a year.
  for (const char* c : {"ca.crt", "www.crt", "shop.crt"}) {
    fs::create_directories(root + "/etc/ssl/corpus");
    fs::copy_file(corpus + "/" + c, root + "/etc/ssl/corpus/" + c);
  }
  // Keys: one fine, one owned by a login user, one openssl-CLI SHA-1/1024 pair.
  write_key(root + "/etc/ssl/private/ok.key", good.key, 0600);
  write_key(root + "/etc/ssl/private/user.key", good.key, 0600, 1000);
  REQUIRE(test::run("openssl req -x509 -newkey rsa:1024 -sha1 -nodes -days 30 -subj /CN=cli.test "
                    "-keyout " +
                    root + "/etc/ssl/private/cli.key -out " + root + "/etc/ssl/cli.crt 2>/dev/null")
              .status == 0);
  ::chmod((root + "/etc/ssl/private/cli.key").c_str(), 0600);
  // Homes: unencrypted OpenSSH key, encrypted OpenSSH key, encrypted PKCS#8, a non-key file.
  fs::create_directories(root + "/home/alice/.ssh");
  REQUIRE(test::run("ssh-keygen -q -t ed25519 -N '' -f " + root + "/home/alice/.ssh/id_ed25519")
              .status == 0);
  REQUIRE(
      test::run("ssh-keygen -q -t ed25519 -N secret-pass -f " + root + "/home/alice/.ssh/id_rsa")
          .status == 0);
  REQUIRE(test::run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass "
                    "pass:x -out " +
                    root + "/home/alice/backup.key 2>/dev/null")
              .status == 0);
  test::write_file(root + "/home/alice/notes.txt", "-----BEGIN PRIVATE KEY-----\nnot read\n");

  certs::AuditOptions opt;
  opt.root = root;
  opt.paths = {"/etc/ssl/gen/weak.der"};  // already under /etc/ssl: no double report
  core::Asset asset;
  asset.hostname = "certs-host";
  auto r = certs::audit(opt, asset);
  REQUIRE(r.ok());
  const auto t = by_type(r->findings);
  auto paths = [&](const char* type) {
    return t.count(type) ? t.at(type) : std::set<std::string>{};
  };

  CHECK(paths("host.cert.expired") ==
        std::set<std::string>{"/etc/ssl/gen/expired.pem", "/var/mail-certs/legacy.crt"});
  CHECK(paths("host.cert.expiring") ==
        std::set<std::string>{"/etc/ssl/gen/expiring.pem", "/etc/ssl/cli.crt"});
  CHECK(paths("host.cert.not_yet_valid") == std::set<std::string>{"/etc/ssl/gen/notyet.pem"});
  CHECK(paths("host.cert.weak_key") ==
        std::set<std::string>{"/etc/ssl/gen/weak.der", "/etc/ssl/cli.crt"});
  // cli.crt is SHA-1 too, but self-signed: its signature is never verified (moot).
  CHECK(paths("host.cert.weak_signature") == std::set<std::string>{"/etc/ssl/gen/sha1.pem"});
  CHECK(paths("host.cert.self_signed") ==
        std::set<std::string>{"/etc/ssl/gen/ca.pem", "/etc/ssl/gen/self.pem",
                              "/etc/ssl/corpus/ca.crt", "/etc/ssl/cli.crt",
                              "/var/mail-certs/legacy.crt"});
  CHECK(paths("host.key.permissions") == std::set<std::string>{"/var/dovecot/dove.key"});
  CHECK(paths("host.key.weak") ==
        std::set<std::string>{"/var/dovecot/dove.key", "/etc/ssl/private/cli.key"});
  if (::geteuid() == 0)
    CHECK(paths("host.key.owner") == std::set<std::string>{"/etc/ssl/private/user.key"});
  CHECK(paths("host.key.unencrypted_in_home") ==
        std::set<std::string>{"/home/alice/.ssh/id_ed25519"});

  // Certificates found: 7 generated + 3 corpus + legacy + nginx's + cli = 13; trust store skipped.
  CHECK(r->certs.size() == 13);
  // site.crt -> real.pem, site.key, legacy, dove.key; /nope.pem is listed as unreadable.
  CHECK(r->config_refs.size() == 4);
  bool nope = false;
  for (const auto& p : r->unreadable) nope |= p.path == "/nope.pem";
  CHECK(nope);
  for (const auto& c : r->certs)
    if (c.path == "/opt/tls/real.pem") CHECK(c.cert.subject == "CN=good.test");

  // Evidence and severities of a few.
  for (const auto& f : r->findings) {
    CHECK(f.source == core::Source::scanner);
    CHECK(f.asset.hostname == "certs-host");
    if (f.type == "host.cert.expired" && f.evidence["path"] == "/var/mail-certs/legacy.crt") {
      CHECK(f.severity == core::Severity::high);
      CHECK(f.evidence["subject"] == "C=ZZ,O=Corpus Expired Test,CN=legacy.example.test");
      CHECK(f.evidence["not_after"] == "2021-01-01T00:00:00Z");
      CHECK(f.fingerprint_fields == std::vector<std::string>{"path", "cert_sha256"});
    }
    if (f.type == "host.cert.self_signed" && f.evidence["path"] == "/etc/ssl/corpus/ca.crt")
      CHECK(f.severity == core::Severity::low);  // a CA
    if (f.type == "host.cert.weak_signature" && f.evidence["path"] == "/etc/ssl/gen/sha1.pem")
      CHECK(f.evidence["signature_algorithm"] == "sha1WithRSAEncryption");
    if (f.type == "host.key.permissions") {
      CHECK(f.severity == core::Severity::high);
      CHECK(f.evidence["mode"] == "0644");
    }
  }

  // --warn-days moves the horizon: the corpus leaves expire within 400 days.
  opt.warn_days = 400;
  auto r2 = certs::audit(opt, asset);
  REQUIRE(r2.ok());
  const auto t2 = by_type(r2->findings);
  CHECK(t2.at("host.cert.expiring").count("/etc/ssl/corpus/www.crt") == 1);
  CHECK(t2.at("host.cert.expiring").count("/etc/ssl/corpus/shop.crt") == 1);
}

TEST_CASE("certs: CLI writes findings and honours --fail-on") {
  const auto base = test::fresh_dir("certs_cli");
  const std::string root = base + "/root";
  fs::create_directories(root + "/etc/ssl");
  fs::copy_file(std::string(VIGIL_CORPUS_DIR) + "/logs/legacy.crt", root + "/etc/ssl/legacy.crt");
  const std::string out = base + "/f.jsonl";
  auto r = test::run(std::string(VIGIL_BIN) + " -q scan certs --root " + root +
                     " --tenant acme --findings " + out + " --fail-on high");
  CHECK(r.status == 2);
  std::set<std::string> types;
  const auto text = test::read_file(out);
  std::size_t pos = 0, n = 0;
  while (pos < text.size()) {
    const auto eol = text.find('\n', pos);
    auto f = core::finding_from_json(nlohmann::json::parse(text.substr(pos, eol - pos)));
    INFO((f.ok() ? std::string() : f.error().str()));
    REQUIRE(f.ok());
    CHECK(f->asset.hostname == root);  // no /etc/hostname in the image: named by its path
    types.insert(f->type);
    pos = eol + 1, ++n;
  }
  CHECK(types == std::set<std::string>{"host.cert.expired", "host.cert.self_signed"});
  r = test::run(std::string(VIGIL_BIN) + " -q scan certs --root " + root + " --findings " + out +
                " --fail-on critical");
  CHECK(r.status == 0);
}
