// Posture on a generated root (set-id files vs a dpkg database, world-writable files) and
// listening sockets on the live host (a socket this test opens must be found, with us as owner).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "scanner/posture/posture.h"
#include "tests/scanner/walk_test_util.h"

using namespace vigil;
using namespace vigil::scanner;

TEST_CASE("posture: set-id files outside dpkg and world-writable system files") {
  const auto base = test::fresh_dir("posture_tree");
  const std::string root = base + "/root";
  test::write_file(root + "/var/lib/dpkg/info/login.list", "/.\n/bin\n/bin/su\n/usr/bin/passwd\n");
  test::write_file(root + "/var/lib/dpkg/info/login.md5sums", "/usr/bin/evil\n");  // not a list
  auto mk = [&](const std::string& p, mode_t mode) {
    test::write_file(root + p, "x");
    REQUIRE(::chmod((root + p).c_str(), mode) == 0);
  };
  mk("/usr/bin/passwd", 04755);      // packaged
  mk("/usr/bin/su", 04755);          // packaged as /bin/su (merged /usr)
  mk("/usr/local/bin/evil", 04755);  // not packaged
  mk("/opt/app/helper", 02755);      // set-gid, not packaged
  mk("/usr/bin/plain", 0755);
  mk("/etc/app.conf", 0666);    // world-writable in /etc
  mk("/home/bob/notes", 0666);  // not a system directory
  const auto pkg = posture::dpkg_files(root);
  CHECK(pkg.size() == 4);

  posture::Options opt;
  opt.root = root;
  core::Asset asset;
  asset.hostname = "posture-host";
  auto r = posture::scan(opt, asset);
  REQUIRE(r.ok());
  std::map<std::string, std::set<std::string>> by;
  for (const auto& f : r->findings) by[f.type].insert(f.evidence["path"].get<std::string>());
  CHECK(by["host.posture.setid_unpackaged"] ==
        std::set<std::string>{"/usr/local/bin/evil", "/opt/app/helper"});
  CHECK(by["host.posture.world_writable"] == std::set<std::string>{"/etc/app.conf"});
  CHECK(by.count("host.posture.listening_socket") == 0);  // never for an image
}

TEST_CASE("posture: world-writable directories without the sticky bit in system directories") {
  const auto base = test::fresh_dir("posture_dirs");
  const std::string root = base + "/root";
  auto mkdir_mode = [&](const std::string& p, mode_t mode) {
    std::filesystem::create_directories(root + p);
    REQUIRE(::chmod((root + p).c_str(), mode) == 0);  // explicit: the umask must not decide
  };
  mkdir_mode("/usr/share/dropbox", 0777);     // reported
  mkdir_mode("/usr/lib/app", 0757);           // reported: others may write
  mkdir_mode("/var/lib/app/incoming", 0773);  // reported, medium under /var/lib
  mkdir_mode("/var/lib/app/queue", 01777);    // sticky: owners only, like /tmp
  mkdir_mode("/etc/app.d", 02775);            // set-gid, group-writable only: not a finding
  mkdir_mode("/home/bob/public", 0777);       // not a system directory
  mkdir_mode("/srv/tmp", 0777);               // not a system directory
  test::write_file(root + "/usr/share/dropbox/readme", "x");  // plain file inside: no finding
  mkdir_mode("/usr/share/dropbox/nested", 0755);

  posture::Options opt;
  opt.root = root;
  opt.sockets = false;
  core::Asset asset;
  asset.hostname = "posture-host";
  auto r = posture::scan(opt, asset);
  REQUIRE(r.ok());
  std::map<std::string, const core::Finding*> dirs;
  for (const auto& f : r->findings) {
    CHECK(f.type != "host.posture.setid_unpackaged");  // the set-gid directory is not a file
    CHECK(f.type != "host.posture.world_writable");
    if (f.type == "host.posture.world_writable_dir") dirs[f.evidence["path"]] = &f;
  }
  REQUIRE(dirs.size() == 3);
  REQUIRE(dirs.count("/usr/share/dropbox"));
  REQUIRE(dirs.count("/usr/lib/app"));
  REQUIRE(dirs.count("/var/lib/app/incoming"));
  CHECK(dirs["/usr/share/dropbox"]->evidence["mode"] == "0777");
  CHECK(dirs["/usr/share/dropbox"]->severity == core::Severity::high);
  CHECK(dirs["/usr/lib/app"]->evidence["mode"] == "0757");
  CHECK(dirs["/var/lib/app/incoming"]->severity == core::Severity::medium);
  CHECK(dirs["/var/lib/app/incoming"]->fingerprint_fields == std::vector<std::string>{"path"});
}

TEST_CASE("posture: a listening socket is found with its owning process") {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(s, 1) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const int port = ntohs(a.sin_port);
  const auto socks = posture::listening_sockets();
  bool found = false;
  for (const auto& k : socks)
    if (k.proto == "tcp" && k.port == port) {
      found = true;
      CHECK(k.address == "127.0.0.1");
      CHECK(k.pid == ::getpid());
    }
  CHECK(found);
  ::close(s);
}
