// The walker's confinement helpers: chroot-style symlink resolution, path components,
// host paths, and a walk over a tree full of hostile links.
#include <catch2/catch.hpp>
#include <filesystem>

#include "scanner/walk/walker.h"
#include "tests/scanner/walk_test_util.h"

using namespace vigil;
using namespace vigil::scanner;
namespace fs = std::filesystem;

TEST_CASE("walk: resolve keeps absolute links and .. inside the root") {
  const auto base = test::fresh_dir("walk_resolve");
  const std::string root = base + "/root";
  test::write_file(root + "/etc/ssl/real.pem", "x");
  test::write_file(base + "/host-secret", "outside");
  fs::create_directories(root + "/srv");
  fs::create_symlink("/etc/ssl", root + "/srv/ssl");                      // absolute, inside
  fs::create_symlink("../../../../../../host-secret", root + "/srv/up");  // climbs "above" root
  fs::create_symlink("/srv/ssl/real.pem", root + "/srv/cert");            // link to a link
  fs::create_symlink("loop2", root + "/srv/loop1");
  fs::create_symlink("loop1", root + "/srv/loop2");
  walk::RootDir rd(root);
  REQUIRE(rd.ok());
  CHECK(walk::resolve(rd, "/srv/ssl/real.pem").value() == "/etc/ssl/real.pem");
  CHECK(walk::resolve(rd, "/srv/cert").value() == "/etc/ssl/real.pem");
  CHECK(walk::resolve(rd, "/srv/../etc/./ssl").value() == "/etc/ssl");
  // ".." at the root stays at the root: /host-secret inside the root does not exist.
  auto up = walk::resolve(rd, "/srv/up");
  REQUIRE_FALSE(up.ok());
  CHECK(up.error().what == "not found");
  auto loop = walk::resolve(rd, "/srv/loop1");
  REQUIRE_FALSE(loop.ok());
  CHECK(loop.error().what == "too many levels of symbolic links");

  CHECK(walk::host_path("/img/", "/etc/x") == "/img/etc/x");
  CHECK(walk::host_path("/", "/etc/x") == "/etc/x");
  CHECK(walk::join("/", "etc") == "/etc");
  CHECK_FALSE(walk::components("/a/../b").ok());
  CHECK(walk::components("//a/./b/").value() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("walk: symlinks are reported (never followed), excludes prune directories") {
  const auto base = test::fresh_dir("walk_tree");
  const std::string root = base + "/root";
  test::write_file(root + "/keep/a.txt", "a");
  test::write_file(root + "/keep/skip.log", "b");
  test::write_file(root + "/cache/big/c.txt", "c");
  test::write_file(root + "/proc/1/status", "not the real /proc");  // never entered
  fs::create_directory_symlink("/", root + "/keep/slash");
  fs::create_directory_symlink("..", root + "/keep/parent");
  walk::Options opt;
  opt.root = root;
  opt.excludes = {"*.log", "/cache"};
  opt.include_symlinks = true;
  auto t = walk::walk(opt);
  REQUIRE(t.ok());
  std::vector<std::string> paths;
  for (const auto& e : t->entries)
    paths.push_back(e.path + (e.link_target.empty() ? "" : " -> " + e.link_target));
  CHECK(paths == std::vector<std::string>{"/keep/a.txt", "/keep/parent -> ..", "/keep/slash -> /"});
  CHECK(t->stats.excluded == 2);
  CHECK(t->stats.pseudo_fs == 1);
  CHECK(t->stats.symlinks == 2);
}

TEST_CASE("walk: include_dirs reports the walked directories, not the skipped ones") {
  const auto base = test::fresh_dir("walk_dirs");
  const std::string root = base + "/root";
  test::write_file(root + "/etc/app/x.conf", "x");
  test::write_file(root + "/cache/y", "y");
  test::write_file(root + "/proc/1/status", "not the real /proc");
  fs::create_directory(root + "/empty");
  fs::create_directory_symlink("/etc", root + "/etc-link");
  walk::Options opt;
  opt.root = root;
  opt.excludes = {"/cache"};
  opt.include_dirs = true;
  auto t = walk::walk(opt);
  REQUIRE(t.ok());
  std::vector<std::string> paths;
  for (const auto& e : t->entries)
    paths.push_back(e.path + (S_ISDIR(e.st.st_mode) ? " (dir)" : ""));
  CHECK(paths == std::vector<std::string>{"/ (dir)", "/empty (dir)", "/etc (dir)", "/etc/app (dir)",
                                          "/etc/app/x.conf"});
  // The default stays files only.
  opt.include_dirs = false;
  auto f = walk::walk(opt);
  REQUIRE(f.ok());
  REQUIRE(f->entries.size() == 1);
  CHECK(f->entries[0].path == "/etc/app/x.conf");
}
