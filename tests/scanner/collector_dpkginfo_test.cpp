// dpkginfo and textfilecontent54 collectors on real trees; installed packages are
// cross-checked with `dpkg-query --admindir=ROOT/var/lib/dpkg`.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "scanner/collectors/registry.h"

using namespace vigil::scanner;

namespace {

std::string fresh(const std::string& name) {
  std::string d = std::string(VIGIL_TEST_TMP) + "/collector-unit/" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

void put(const std::string& p, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

ObjectEntity ent(std::string name, std::string value, Operation op = Operation::kEquals,
                 Datatype dt = Datatype::kString) {
  ObjectEntity e;
  e.name = std::move(name);
  e.values = {std::move(value)};
  e.operation = op;
  e.datatype = dt;
  return e;
}

std::string field(const Item& it, const char* name) {
  const ItemField* f = it.field(name);
  return f ? f->value : "<none>";
}

}  // namespace

TEST_CASE("dpkginfo: installed packages as dpkg-query sees them, epoch and release split",
          "[collector]") {
  std::string root = fresh("dpkg");
  put(root + "/var/lib/dpkg/status",
      "Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\n"
      "Version: 1:8.9p1-3ubuntu0.1\nDescription: x\n continued line\n\n"
      "Package: talk\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 0.17-17\n\n"
      "Package: avahi-daemon\nStatus: install ok half-configured\nArchitecture: amd64\nVersion: "
      "0.8-5\n\n"
      "Package: vsftpd\nStatus: purge ok not-installed\nArchitecture: amd64\n\n"
      "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.1-6ubuntu1\n");
  fs::Root r(root);
  CollectContext ctx(r);
  ObjectQuery q;
  q.type = "dpkginfo_object";
  q.entities = {ent("name", ".*", Operation::kPatternMatch)};
  Collection c = collect(q, ctx);
  REQUIRE(c.flag == Flag::kComplete);
  std::set<std::string> ours;
  for (const auto& it : c.items) ours.insert(field(it, "name"));
  // The oracle: dpkg's own view of the same database (packages with a version).
  std::set<std::string> dpkg;
  std::string cmd = "dpkg-query --admindir='" + root +
                    "/var/lib/dpkg' -W -f='${db:Status-Status} ${Package}\\n' 2>/dev/null";
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char line[512];
    while (std::fgets(line, sizeof line, p)) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      auto sp = s.find(' ');
      std::string st = s.substr(0, sp), name = s.substr(sp + 1);
      if (st != "not-installed" && st != "config-files") dpkg.insert(name);
    }
    ::pclose(p);
  }
  CHECK(ours == dpkg);
  CHECK(ours == std::set<std::string>{"avahi-daemon", "bash", "openssh-server"});
  for (const auto& it : c.items)
    if (field(it, "name") == "openssh-server") {
      CHECK(field(it, "epoch") == "1");
      CHECK(field(it, "version") == "8.9p1");
      CHECK(field(it, "release") == "3ubuntu0.1");
      CHECK(field(it, "evr") == "1:8.9p1-3ubuntu0.1");
      CHECK(it.line == 1);
    }
  q.entities = {ent("name", "telnetd")};
  CHECK(collect(q, ctx).flag == Flag::kDoesNotExist);
}

TEST_CASE("textfilecontent54: behaviors and instances", "[collector]") {
  std::string root = fresh("tfc");
  put(root + "/etc/a.conf", "Key one\nkey two\nKEY three\n");
  put(root + "/etc/sub/b.conf", "Key four\n");
  fs::Root r(root);
  CollectContext ctx(r);
  ObjectQuery q;
  q.type = "textfilecontent54_object";
  q.entities = {ent("path", "/etc"), ent("filename", ".*\\.conf$", Operation::kPatternMatch),
                ent("pattern", "^key (\\w+)$", Operation::kPatternMatch),
                ent("instance", "1", Operation::kGreaterThanOrEqual, Datatype::kInt)};
  Collection c = collect(q, ctx);
  REQUIRE(c.items.size() == 1);
  CHECK(field(c.items[0], "subexpression") == "two");
  CHECK(c.items[0].line == 2);
  q.behaviors["ignore_case"] = "true";
  CHECK(collect(q, ctx).items.size() == 3);
  q.behaviors["recurse_direction"] = "down";
  CHECK(collect(q, ctx).items.size() == 4);
  // multiline off: ^/$ only at the ends of the file, so nothing matches a line.
  q.behaviors = {{"multiline", "false"}};
  CHECK(collect(q, ctx).flag == Flag::kDoesNotExist);
  // singleline: '.' crosses newlines.
  q.entities[2] = ent("pattern", "one.key", Operation::kPatternMatch);
  q.behaviors = {{"singleline", "true"}};
  CHECK(collect(q, ctx).items.size() == 1);
}

TEST_CASE("registry: unknown object types are not collected, with the reason", "[collector]") {
  fs::Root r(fresh("reg"));
  CollectContext ctx(r);
  ObjectQuery q;
  q.type = "registry_object";
  Collection c = collect(q, ctx);
  CHECK(c.flag == Flag::kNotCollected);
  REQUIRE_FALSE(c.messages.empty());
  CHECK(c.messages[0].find("registry_object") != std::string::npos);
  CHECK(find_collector("textfilecontent54_object") != nullptr);
}

TEST_CASE("offline collectors report what OpenSCAP reports for a mounted root", "[collector]") {
  fs::Root r(fresh("offline"));
  CollectContext ctx(r);
  ObjectQuery q;
  q.entities = {ent("name", "kernel.randomize_va_space")};
  q.type = "sysctl_object";
  CHECK(collect(q, ctx).flag == Flag::kNotApplicable);
  q.type = "uname_object";
  CHECK(collect(q, ctx).flag == Flag::kNotApplicable);
  q.type = "systemdunitproperty_object";
  CHECK(collect(q, ctx).flag == Flag::kNotCollected);
  q.type = "rpminfo_object";
  CHECK(collect(q, ctx).flag == Flag::kNotApplicable);
  q.type = "family_object";
  CHECK(collect(q, ctx).items.size() == 1);
}
