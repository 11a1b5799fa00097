// FIM on a generated tree: every kind of change is detected with what changed, an
// unchanged tree yields nothing, and a tampered baseline is refused (library and CLI).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "core/util/hash.h"
#include "scanner/fim/baseline.h"
#include "tests/scanner/walk_test_util.h"

using namespace vigil;
using namespace vigil::scanner;
namespace fs = std::filesystem;

namespace {

std::string make_tree(const std::string& base) {
  const std::string root = base + "/root";
  test::write_file(root + "/etc/hostname", "fim-test-host\n");
  test::write_file(root + "/etc/machine-id", "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1\n");
  test::write_file(root + "/etc/hosts", "127.0.0.1 localhost\n");
  test::write_file(root + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  test::write_file(root + "/etc/ssh/sshd_config", "PermitRootLogin no\n");
  test::write_file(root + "/etc/to-remove", "bye\n");
  test::write_file(root + "/usr/bin/tool", "#!/bin/sh\necho tool\n");
  test::write_file(root + "/usr/bin/other", "#!/bin/sh\necho other\n");
  fs::create_symlink("hosts", root + "/etc/hosts.link");
  fs::create_symlink("/usr/bin/tool", root + "/usr/bin/tool-alias");
  ::mkfifo((root + "/etc/initctl").c_str(), 0600);  // skipped, not hashed, no hang
  return root;
}

fim::Baseline build(const std::string& root) {
  fim::BuildOptions opt;
  opt.root = root;
  opt.paths = {"/etc", "/usr/bin", "/usr/sbin"};  // /usr/sbin does not exist: fine
  opt.threads = 2;
  auto b = fim::build(opt);
  REQUIRE(b.ok());
  return std::move(b.value());
}

std::map<std::string, fim::Change> by_path(const std::vector<fim::Change>& cs) {
  std::map<std::string, fim::Change> m;
  for (const auto& c : cs) m.emplace(c.path, c);
  return m;
}

}  // namespace

TEST_CASE("fim: baseline records hashes, modes, owners and symlink targets") {
  const auto base = test::fresh_dir("fim_record");
  const auto root = make_tree(base);
  const auto b = build(root);
  CHECK(b.files.size() == 10);
  const auto& hosts = b.files.at("/etc/hosts");
  CHECK(hosts.type == 'f');
  CHECK(hosts.sha256 == sha256_hex("127.0.0.1 localhost\n"));
  CHECK(hosts.size == 20);
  const auto& link = b.files.at("/usr/bin/tool-alias");
  CHECK(link.type == 'l');
  CHECK(link.target == "/usr/bin/tool");
  CHECK(link.sha256.empty());
  CHECK(b.files.count("/etc/initctl") == 0);
  CHECK(b.unreadable.empty());

  // Save + load round-trips exactly.
  const std::string file = base + "/baseline.json";
  REQUIRE(fim::save(b, file).ok());
  auto back = fim::load(file);
  REQUIRE(back.ok());
  CHECK(back->files == b.files);
  CHECK(back->paths == b.paths);
  CHECK(fim::compare(b, *back).empty());
  CHECK(fim::compare(b, build(root)).empty());  // nothing changed, nothing reported
}

TEST_CASE("fim: add, remove, modify, chmod, chown and symlink retarget are each detected") {
  const auto base = test::fresh_dir("fim_changes");
  const auto root = make_tree(base);
  const auto before = build(root);

  test::write_file(root + "/etc/cron.d/new-job", "* * * * * root /tmp/x\n");  // added
  fs::remove(root + "/etc/to-remove");                                        // removed
  test::write_file(root + "/usr/bin/tool", "#!/bin/sh\necho trojan\n");       // modified
  ::chmod((root + "/usr/bin/other").c_str(), 04755);                          // chmod
  const int chowned = ::chown((root + "/etc/passwd").c_str(), 1234, 4321);    // chown
  REQUIRE((chowned == 0 || ::geteuid() != 0));
  fs::remove(root + "/etc/hosts.link");
  fs::create_symlink("passwd", root + "/etc/hosts.link");                   // retarget
  test::write_file(root + "/etc/ssh/sshd_config", "PermitRootLogin no\n");  // same bytes
  struct timespec ts[2] = {{1000000, 0}, {1000000, 0}};
  ::utimensat(AT_FDCWD, (root + "/etc/ssh/sshd_config").c_str(), ts, 0);  // mtime only

  const auto after = build(root);
  const auto changes = by_path(fim::compare(before, after));
  const bool root_user = ::geteuid() == 0;
  CHECK(changes.size() == (root_user ? 7u : 6u));

  REQUIRE(changes.count("/etc/cron.d/new-job"));
  CHECK(changes.at("/etc/cron.d/new-job").kind == fim::Change::added);
  REQUIRE(changes.count("/etc/to-remove"));
  CHECK(changes.at("/etc/to-remove").kind == fim::Change::removed);
  REQUIRE(changes.count("/usr/bin/tool"));
  CHECK(changes.at("/usr/bin/tool").kind == fim::Change::modified);
  CHECK(changes.at("/usr/bin/tool").fields == std::vector<std::string>{"sha256", "size", "mtime"});
  REQUIRE(changes.count("/usr/bin/other"));
  CHECK(changes.at("/usr/bin/other").fields == std::vector<std::string>{"mode"});
  if (root_user) {
    REQUIRE(changes.count("/etc/passwd"));
    CHECK(changes.at("/etc/passwd").fields == std::vector<std::string>{"uid", "gid"});
  }
  REQUIRE(changes.count("/etc/hosts.link"));
  const auto& link = changes.at("/etc/hosts.link").fields;
  CHECK(std::find(link.begin(), link.end(), "target") != link.end());
  REQUIRE(changes.count("/etc/ssh/sshd_config"));
  CHECK(changes.at("/etc/ssh/sshd_config").fields == std::vector<std::string>{"mtime"});

  // Findings: types, severities and the evidence that says what changed.
  core::Asset asset;
  asset.hostname = "fim-test-host";
  const auto findings = fim::to_findings(fim::compare(before, after), asset, now_micros());
  std::map<std::string, const core::Finding*> f;
  for (const auto& x : findings) f[x.evidence["path"].get<std::string>()] = &x;
  CHECK(f.at("/etc/cron.d/new-job")->type == "host.fim.added");
  CHECK(f.at("/etc/to-remove")->type == "host.fim.removed");
  CHECK(f.at("/usr/bin/tool")->type == "host.fim.modified");
  CHECK(f.at("/usr/bin/tool")->severity == core::Severity::high);   // system binary content
  CHECK(f.at("/usr/bin/other")->severity == core::Severity::high);  // set-uid bit appeared
  CHECK(f.at("/etc/ssh/sshd_config")->severity == core::Severity::low);
  CHECK(f.at("/usr/bin/tool")->evidence["before"]["sha256"] ==
        sha256_hex("#!/bin/sh\necho tool\n"));
  CHECK(f.at("/usr/bin/tool")->evidence["after"]["sha256"] ==
        sha256_hex("#!/bin/sh\necho trojan\n"));
  CHECK(f.at("/etc/hosts.link")->evidence["after"]["target"] == "passwd");
  CHECK(f.at("/usr/bin/other")->evidence["changed"] == nlohmann::json::array({"mode"}));
}

TEST_CASE("fim: a tampered baseline is refused") {
  const auto base = test::fresh_dir("fim_tamper");
  const auto root = make_tree(base);
  const std::string file = base + "/baseline.json";
  REQUIRE(fim::save(build(root), file).ok());
  REQUIRE(fim::load(file).ok());

  // Someone "fixes" the recorded hash of a file they replaced.
  std::string text = test::read_file(file);
  const std::string good = sha256_hex("#!/bin/sh\necho tool\n");
  const auto pos = text.find(good);
  REQUIRE(pos != std::string::npos);
  std::string tampered = text;
  tampered.replace(pos, good.size(), sha256_hex("#!/bin/sh\necho trojan\n"));
  test::write_file(file, tampered);
  auto r = fim::load(file);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().what.find("integrity check failed") != std::string::npos);

  // Truncated, not JSON, no hash, another format: all refused with a reason.
  test::write_file(file, text.substr(0, text.size() / 2));
  CHECK_FALSE(fim::load(file).ok());
  test::write_file(
      file, R"({"format":"vigil-fim-baseline","version":1,"root":"/","paths":[],"files":{}})");
  auto nohash = fim::load(file);
  REQUIRE_FALSE(nohash.ok());
  CHECK(nohash.error().what.find("no integrity hash") != std::string::npos);
  test::write_file(file, "[1,2,3]");
  CHECK_FALSE(fim::load(file).ok());
  CHECK_FALSE(fim::load(base + "/missing.json").ok());
}

TEST_CASE("fim: CLI baseline and check, exit codes and findings file") {
  const auto base = test::fresh_dir("fim_cli");
  const auto root = make_tree(base);
  const std::string vigil = VIGIL_BIN;
  const std::string bl = base + "/bl.json", out = base + "/out.jsonl";
  auto r = test::run(vigil + " -q fim baseline --root " + root +
                     " --path /etc --path /usr/bin --out " + bl);
  REQUIRE(r.status == 0);
  r = test::run(vigil + " -q fim check --baseline " + bl + " --findings " + out + " --fail-on low");
  CHECK(r.status == 0);
  CHECK(test::read_file(out).empty());

  test::write_file(root + "/usr/bin/tool", "changed");
  r = test::run(vigil + " -q fim check --baseline " + bl + " --tenant acme --findings " + out +
                " --fail-on high");
  CHECK(r.status == 2);
  const auto lines = test::read_file(out);
  auto j = nlohmann::json::parse(lines.substr(0, lines.find('\n')));
  CHECK(j["type"] == "host.fim.modified");
  CHECK(j["tenant"] == "acme");
  CHECK(j["asset"]["hostname"] == "fim-test-host");
  CHECK(j["asset"]["host_id"] == "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1");
  auto f = core::finding_from_json(j);
  CHECK(f.ok());

  std::string text = test::read_file(bl);
  text[text.find("\"size\":") + 7] = '9';
  test::write_file(bl, text);
  r = test::run(vigil + " fim check --baseline " + bl + " --findings " + out + " 2>&1");
  CHECK(r.status == 1);
  CHECK(r.out.find("vigil: " + bl + ": baseline integrity check failed") == 0);
}
