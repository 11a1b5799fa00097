// Evidence bundles end to end through the CLI: keygen -> pack -> verify, then
// tampering: a flipped byte in each member, an added file, a removed file, the
// wrong key, unsafe member paths. Each must fail and say what is wrong.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "reports/evidence/tar.h"
#include "tests/reports/report_fixtures.h"

using namespace vigil;
namespace tar = vigil::reports::tar;

namespace {

struct Bundle {
  std::string dir, key, pub, tarfile;
};

Bundle make_bundle() {
  Bundle b;
  b.dir = test::tmp_dir("evidence");
  b.key = b.dir + "/signing.key";
  b.pub = b.key + ".pub";
  b.tarfile = b.dir + "/bundle.tar";
  auto r = test::vigil("evidence keygen --out " + b.key);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  test::write_text(b.dir + "/results.json", test::results("web1", "2026-11-26T12:00:00Z",
                                                          {test::rule("r1", "One", "fail", "high")})
                                                .dump());
  test::write_findings(b.dir + "/f.jsonl", {test::finding("web1", "a.example", core::Severity::high,
                                                          "net.http.cleartext")});
  r = test::vigil("report --results " + b.dir + "/results.json --format md --out " + b.dir +
                  "/report.md");
  REQUIRE(r.exit_code == 0);
  r = test::vigil("evidence pack --results " + b.dir + "/results.json --findings " + b.dir +
                  "/f.jsonl --report " + b.dir + "/report.md --key " + b.key + " --out " +
                  b.tarfile);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return b;
}

test::Run verify(const Bundle& b, const std::string& tarfile, const std::string& pub) {
  return test::vigil("evidence verify " + tarfile + " --pubkey " + pub);
}

}  // namespace

TEST_CASE("evidence: keygen, pack, verify, tamper", "[evidence]") {
  Bundle b = make_bundle();
  struct stat st {};
  REQUIRE(::stat(b.key.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::filesystem::exists(b.pub));
  // keygen refuses to overwrite a key.
  CHECK(test::vigil("evidence keygen --out " + b.key).exit_code == 1);

  auto ok = verify(b, b.tarfile, b.pub);
  INFO(ok.output);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.output.find(": OK: signature by key ") != std::string::npos);

  const std::string bytes = test::read_text(b.tarfile);
  auto members = tar::read(bytes);
  REQUIRE(members.ok());
  std::vector<std::string> names;
  for (const auto& m : *members) names.push_back(m.name);
  CHECK(names == std::vector<std::string>{"inputs/results/1-results.json",
                                          "inputs/findings/1-f.jsonl", "reports/1-report.md",
                                          "benchmarks.json", "tool.json", "manifest.json",
                                          "manifest.sig"});
  auto tool = nlohmann::json::parse((*members)[4].data);
  CHECK(tool["command_line"][1] == "evidence");
  CHECK(tool["command_line"][2] == "pack");
  auto bench = nlohmann::json::parse((*members)[3].data);
  CHECK(bench[0]["sha256"] == std::string(64, 'a'));

  SECTION("a flipped byte in each member is named") {
    for (const auto& m : *members) {
      std::string t = bytes;
      REQUIRE(!m.data.empty());
      t[m.offset + m.data.size() / 2] ^= 0x01;
      const std::string path = b.dir + "/flipped.tar";
      test::write_text(path, t);
      auto r = verify(b, path, b.pub);
      INFO(m.name << "\n" << r.output);
      CHECK(r.exit_code == 1);
      if (m.name == "manifest.json" || m.name == "manifest.sig")
        CHECK(r.output.find("signature: manifest.sig does not verify manifest.json") !=
              std::string::npos);
      else
        CHECK(r.output.find(": modified: " + m.name + "\n") != std::string::npos);
      CHECK(r.output.find("verification FAILED") != std::string::npos);
    }
  }
  SECTION("an added file is named") {
    auto list = *members;
    list.push_back({"reports/extra.html", "<p>added later</p>"});
    test::write_text(b.dir + "/added.tar", *tar::write(list, 0));
    auto r = verify(b, b.dir + "/added.tar", b.pub);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(": extra: reports/extra.html\n") != std::string::npos);
  }
  SECTION("a removed file is named") {
    auto list = *members;
    list.erase(list.begin() + 2);
    test::write_text(b.dir + "/removed.tar", *tar::write(list, 0));
    auto r = verify(b, b.dir + "/removed.tar", b.pub);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(": missing: reports/1-report.md\n") != std::string::npos);
  }
  SECTION("another key does not verify") {
    REQUIRE(
        test::vigil("evidence keygen --out " + b.dir + "/other.key --pub " + b.dir + "/other.pub")
            .exit_code == 0);
    auto r = verify(b, b.tarfile, b.dir + "/other.pub");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("signature: manifest.sig does not verify manifest.json with " + b.dir +
                        "/other.pub (the manifest names signing key ") != std::string::npos);
    CHECK(r.output.find("wrong key") != std::string::npos);
  }
  SECTION("the openssl command line verifies the signature too") {
    auto x = test::run(
        "cd " + b.dir +
        " && mkdir -p x && cd x && tar -xf ../bundle.tar && "
        "openssl pkeyutl -verify -pubin -inkey ../signing.key.pub -rawin -in manifest.json "
        "-sigfile manifest.sig");
    INFO(x.output);
    CHECK(x.exit_code == 0);
    CHECK(x.output.find("Signature Verified Successfully") != std::string::npos);
  }
  SECTION("verify --extract unpacks after a good check") {
    auto r = test::vigil("evidence verify " + b.tarfile + " --pubkey " + b.pub + " --extract " +
                         b.dir + "/out");
    CHECK(r.exit_code == 0);
    CHECK(test::read_text(b.dir + "/out/reports/1-report.md") ==
          test::read_text(b.dir + "/report.md"));
  }
}

TEST_CASE("evidence: unsafe or malformed archives are refused by name", "[evidence][tar]") {
  // Hand-made headers: our writer refuses these names, an attacker's would not.
  auto header = [](const std::string& name, char type, std::size_t size) {
    std::string h(512, '\0');
    h.replace(0, name.size(), name);
    std::snprintf(&h[100], 8, "%07o", 0644);
    std::snprintf(&h[124], 12, "%011zo", size);
    std::snprintf(&h[136], 12, "%011o", 0);
    h[156] = type;
    h.replace(257, 6, std::string("ustar\0", 6));
    h.replace(263, 2, "00");
    unsigned sum = 0;
    for (std::size_t i = 0; i < 512; ++i)
      sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    std::snprintf(&h[148], 8, "%06o", sum);
    h[155] = ' ';
    return h;
  };
  auto archive = [&](const std::string& name, char type = '0') {
    std::string data = "x";
    return header(name, type, data.size()) + data + std::string(511, '\0') +
           std::string(1024, '\0');
  };
  CHECK(tar::read(archive("ok/file")).ok());
  for (const std::string bad : {"/etc/passwd", "../evil", "a/../../evil", "a//b", "./a"}) {
    auto r = tar::read(archive(bad));
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().where == bad);
  }
  auto link = tar::read(archive("link", '2'));
  REQUIRE_FALSE(link.ok());
  CHECK(link.error().what == "member is not a regular file (type '2')");
  std::string a = archive("ok/file");
  CHECK_FALSE(tar::read(a.substr(0, 512)).ok());  // truncated
  std::string bad_sum = a;
  bad_sum[0] = 'p';
  CHECK(tar::read(bad_sum).error().what == "header checksum mismatch");
  std::string huge = header("big", '0', 1u << 30) + std::string(1024, '\0');
  CHECK(tar::read(huge).error().what == "member data runs past the end of the archive");
  CHECK_FALSE(tar::write({{"../x", "y"}}, 0).ok());
  // Through the CLI: an archive with "../evil" fails verification with its name.
  const std::string dir = test::tmp_dir("evidence-unsafe");
  REQUIRE(test::vigil("evidence keygen --out " + dir + "/k").exit_code == 0);
  test::write_text(dir + "/evil.tar", archive("../evil"));
  auto r = test::vigil("evidence verify " + dir + "/evil.tar --pubkey " + dir + "/k.pub");
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("bundle: ../evil: member path with an empty, '.' or '..' component") !=
        std::string::npos);
}
