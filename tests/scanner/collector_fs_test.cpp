// scanner/fs: root confinement (symlinks and ".." never leave the root), no FIFO or
// device reads, size caps, cycle-safe walks.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scanner/fs/root.h"

namespace {

namespace sfs = vigil::scanner::fs;

std::string fresh(const std::string& name) {
  std::string d = std::string(VIGIL_TEST_TMP) + "/collector-fs/" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

void put(const std::string& p, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

}  // namespace

TEST_CASE("fs: symlinks and '..' resolve inside the root, never outside", "[fs]") {
  std::string base = fresh("confine");
  std::string root = base + "/root";
  put(base + "/outside-secret", "HOST SECRET\n");
  put(root + "/etc/inside", "inside\n");
  put(root + "/outside-secret", "root copy\n");
  std::filesystem::create_directories(root + "/etc");
  ::symlink("../../outside-secret", (root + "/etc/rel-escape").c_str());
  ::symlink((base + "/outside-secret").c_str(), (root + "/etc/abs-escape").c_str());
  ::symlink("/etc/inside", (root + "/etc/abs-inside").c_str());
  sfs::Root r(root);
  REQUIRE(r.ok());
  // "../../outside-secret" from /etc clamps at the root: /outside-secret of the root.
  auto rel = r.read_file("/etc/rel-escape");
  REQUIRE(rel.ok());
  CHECK(*rel == "root copy\n");
  // An absolute target is taken inside the root, where it does not exist.
  CHECK_FALSE(r.read_file("/etc/abs-escape").ok());
  auto in = r.read_file("/etc/abs-inside");
  REQUIRE(in.ok());
  CHECK(*in == "inside\n");
  auto dots = r.read_file("/../../../../etc/inside");
  REQUIRE(dots.ok());
  CHECK(*dots == "inside\n");
  // lstat sees the link itself.
  auto st = r.lstat("/etc/abs-escape");
  REQUIRE(st.has_value());
  CHECK(S_ISLNK(st->st_mode));
}

TEST_CASE("fs: FIFOs and other non-regular files are never read", "[fs]") {
  std::string root = fresh("fifo");
  std::filesystem::create_directories(root + "/etc");
  REQUIRE(::mkfifo((root + "/etc/pipe").c_str(), 0644) == 0);
  sfs::Root r(root);
  auto data = r.read_file("/etc/pipe");  // must not block waiting for a writer
  REQUIRE_FALSE(data.ok());
  CHECK(data.error().what == "not a regular file");
  CHECK_FALSE(r.read_file("/etc").ok());
}

TEST_CASE("fs: files over the read cap are errors with the reason", "[fs]") {
  std::string root = fresh("cap");
  put(root + "/big", std::string(4096, 'x'));
  sfs::Root r(root);
  r.set_read_cap(1024);
  auto data = r.read_file("/big");
  REQUIRE_FALSE(data.ok());
  CHECK(data.error().what.find("read cap") != std::string::npos);
  r.set_read_cap(8192);
  CHECK(r.read_file("/big").ok());
}

TEST_CASE("fs: symlink loops end in an error and walks terminate", "[fs]") {
  std::string root = fresh("loops");
  std::filesystem::create_directories(root + "/a/b");
  ::symlink("/a", (root + "/a/b/up").c_str());  // directory cycle through a symlink
  ::symlink("/loop2", (root + "/loop1").c_str());
  ::symlink("/loop1", (root + "/loop2").c_str());
  sfs::Root r(root);
  auto res = r.resolve("/loop1", true);
  REQUIRE_FALSE(res.ok());
  CHECK(res.error().what == "too many symlinks");
  int dirs = 0;
  r.walk_dirs("/", -1, [&](const std::string&) { ++dirs; });
  CHECK(dirs == 3);  // "/", "/a", "/a/b": symlinks are not descended
  dirs = 0;
  r.walk_dirs("/", 1, [&](const std::string&) { ++dirs; });
  CHECK(dirs == 2);
}

TEST_CASE("fs: a missing root is reported, not crashed on", "[fs]") {
  sfs::Root r(std::string(VIGIL_TEST_TMP) + "/collector-fs/does-not-exist");
  CHECK_FALSE(r.ok());
  CHECK_FALSE(r.read_file("/etc/passwd").ok());
}
