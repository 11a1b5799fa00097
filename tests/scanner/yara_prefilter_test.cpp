// The `scan files` pre-filter (scanner/yara/prefilter.h): what it derives from rule
// source, when it must switch itself off, and — with the yara CLI as oracle on a
// generated tree of boundary sizes and headers — that it never drops a match yara reports.
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "scanner/yara/file_scan.h"
#include "tests/scanner/yara_test_util.h"

using namespace vigil;
using namespace vigil::scanner;

namespace {

std::unique_ptr<yara::Rules> compile(const std::string& base, const std::string& text) {
  const std::string path = base + "/rules.yar";
  test::write_file(path, text);
  auto r = yara::Rules::compile(path);
  INFO((r.ok() ? std::string() : r.error().str()));
  REQUIRE(r.ok());
  return std::move(r.value());
}

// Rules exercising every recognised form, and source text built to mislead a naive
// parser: braces, "or" and "condition:" inside strings, regexes and comments.
const char* kGatedRules = R"(
import "math"
/* a comment with condition: or } { */
rule SmallMarker : small { strings: $m = "vigil-pf-marker" condition: filesize < 1KB and $m }
rule MzMarker {
  meta: note = "condition: true or }"
  strings: $m = "vigil-pf-marker" wide ascii
  condition: uint16(0) == 0x5A4D and $m
}
rule ElfBE { condition: uint32be(0) == 0x7F454C46 and (filesize >= 8 and filesize <= 0x800) }
rule ElfLE { condition: 0x464c457f == uint32(0) and filesize > 4 }
private rule Three { condition: filesize == 3 }
rule BangAt2 { condition: Three and uint8(2) == 0x21 }
rule Tiny { condition: 2 > filesize }
rule Regex { strings: $r = /pf-[a-z]{3}\}x\/y/ condition: filesize <= 2048 and $r }
rule Text { strings: $t = "a } condition: or \" b" condition: $t and filesize >= 0o10000 }
rule Hex {
  strings: $h = { 4D 5A /* mz */ [1-4] 90 ?? }  // comment }
  condition: uint8be(0) == 0x4d and $h and not filesize < 6
}
)";

}  // namespace

TEST_CASE("yara prefilter: size and header conditions derived from rule source") {
  const auto base = test::fresh_dir("yara_prefilter_rules");
  auto rules = compile(base, kGatedRules);
  const auto& p = rules->prefilter();
  INFO(p.why());
  REQUIRE(p.active());
  // SmallMarker, MzMarker, ElfBE, ElfLE, Three, BangAt2, Tiny, Regex, Text, Hex.
  CHECK(p.gates().size() == 10);
  CHECK(p.header_bytes() == 4);
  const auto& small = p.gates()[0];
  CHECK(small.max_size == 1023);
  CHECK(small.header.empty());
  const auto& elf_be = p.gates()[2];
  CHECK(elf_be.min_size == 8);
  CHECK(elf_be.max_size == 0x800);
  REQUIRE(elf_be.header.size() == 1);
  CHECK(elf_be.header[0].big_endian);
  CHECK(elf_be.header[0].value == 0x7F454C46u);
  CHECK(p.gates()[8].min_size == 4096);  // 0o10000

  CHECK(p.may_match(100, "MZ"));           // MzMarker (and SmallMarker: < 1 KiB)
  CHECK(p.may_match(5000, "MZ\x90\0"));    // MzMarker, Hex
  CHECK(p.may_match(1 << 20, "zzzz"));     // Text: filesize >= 4096
  CHECK_FALSE(p.may_match(3000, "zzzz"));  // over every size bound, no known header
  CHECK(p.may_match(3000, "\177ELF"));     // ElfLE
  CHECK(p.may_match(0, ""));               // Tiny: filesize < 2
  CHECK(p.may_match(3000, "M"));           // header bytes not given (short read): the file is kept
}

TEST_CASE("yara prefilter: switches itself off when a rule has no usable condition") {
  const auto base = test::fresh_dir("yara_prefilter_off");
  struct Case {
    const char* rules;
    const char* why;
  } cases[] = {
      {"rule A { strings: $a = \"x\" condition: $a }", "rule A has no"},
      // A top-level `or` makes the condition a disjunction: nothing is necessary.
      {"rule A { condition: filesize < 10 or uint16(0) == 0x5a4d }", "rule A has no"},
      {"rule A { condition: filesize < 10 and uint16(0) == 0x5a4d or true }", "rule A has no"},
      // Negated, computed or signed forms are not analysed.
      {"rule A { condition: not filesize < 10 }", "rule A has no"},
      {"rule A { condition: filesize < 10 + 5 }", "rule A has no"},
      {"rule A { condition: int16(0) == 0x5a4d }", "rule A has no"},
      {"rule A { condition: uint16(0) != 0x5a4d }", "rule A has no"},
      {"rule B { condition: filesize < 10 }\nrule A { condition: (filesize < 5) or true }",
       "rule A has no"},
  };
  for (const auto& c : cases) {
    auto rules = compile(base, c.rules);
    INFO(c.rules);
    CHECK_FALSE(rules->prefilter().active());
    CHECK(rules->prefilter().why().find(c.why) != std::string::npos);
    CHECK(rules->prefilter().may_match(1 << 30, ""));
  }
  // An include pulls rules from text the filter never saw.
  test::write_file(base + "/inc.yar", "rule Inc { condition: true }\n");
  auto inc = compile(base, "include \"inc.yar\"\nrule A { condition: filesize < 10 }\n");
  CHECK_FALSE(inc->prefilter().active());
  CHECK(inc->prefilter().why().find("include") != std::string::npos);
  // Rules that can never match (a 16-bit value above 0xffff, size < 0) keep no file.
  auto never = compile(base, "rule N { condition: uint16(0) == 0x10000 and filesize < 0 }");
  CHECK(never->prefilter().active());
  CHECK_FALSE(never->prefilter().may_match(10, "MZxxxxxxxx"));
}

TEST_CASE("yara prefilter: never drops a match the yara CLI reports (generated tree)") {
  if (!test::have_yara_cli()) {
    WARN("yara CLI not installed: oracle skipped");
    return;
  }
  const auto base = test::fresh_dir("yara_prefilter_oracle");
  const std::string root = base + "/tree";
  // Sizes at and around every bound in kGatedRules, headers that pass or just miss
  // each header check, and the strings the rules look for placed where they fit.
  const std::size_t sizes[] = {0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    1023,
                               1024, 1025, 2047, 2048, 2049, 3000, 3500, 4095, 4096, 4097, 70000};
  const std::string heads[] = {"MZ\x90\x00", "MZ\x91\x00", "\177ELF", "\177ELG",
                               "FLE\x7f",    "ab!c",       "zzzz",    ""};
  const std::string bodies[] = {"vigil-pf-marker", "pf-abc}x/y", "a } condition: or \" b",
                                "MZ\x90\x90\x90\x90\x90\x90", ""};
  std::mt19937 rng(8);
  int n = 0;
  for (const auto size : sizes)
    for (const auto& head : heads)
      for (int k = 0; k < 2; ++k) {
        std::string data = head + bodies[rng() % std::size(bodies)];
        if (data.size() < size) data += std::string(size - data.size(), 'x');
        data.resize(size);
        test::write_file(root + "/d" + std::to_string(n % 7) + "/f" + std::to_string(n), data);
        ++n;
      }
  const std::string rules_file = base + "/rules.yar";
  auto rules = compile(base, kGatedRules);
  REQUIRE(rules->prefilter().active());

  yara::ScanOptions opt;
  opt.walk.root = root;
  opt.threads = 2;
  auto r = yara::scan_files(*rules, opt);
  REQUIRE(r.ok());
  CHECK(r->files == static_cast<std::uint64_t>(n));
  CHECK(r->scanned == r->files);
  CHECK(r->prefiltered > 20);  // the filter does skip files here...
  CHECK(r->prefiltered < r->files);

  const auto theirs = test::yara_cli_hits(rules_file, root);
  std::set<std::string> rules_hit;
  for (const auto& h : theirs) rules_hit.insert(h.substr(0, h.find(' ')));
  CHECK(rules_hit.size() >= 8);        // the tree reaches (nearly) every rule
  CHECK(test::hit_set(*r) == theirs);  // ...and loses nothing yara finds
}

TEST_CASE("yara prefilter: rules that need one of their strings to match") {
  const auto base = test::fresh_dir("yara_prefilter_strings");
  struct Case {
    const char* rules;
    bool required;
  } cases[] = {
      {"rule A { strings: $a = \"x\" condition: $a }", true},
      {"rule A { strings: $a = \"x\" $b = \"y\" condition: any of them }", true},
      {"rule A { strings: $a = \"x\" $b = \"y\" condition: all of ($a, $b*) }", true},
      {"rule A { strings: $a = \"x\" $b = \"y\" condition: 2 of them and filesize < 1MB }", true},
      {"rule A { strings: $a = \"x\" condition: filesize < 10 and ($a at 0 or $a in (5..9)) }",
       true},
      // The EICAR rule's shape, and a condition with `or` inside a string.
      {"rule A { strings: $p = \"a or b\" $n = \"c\" condition: $p at 0 or all of them }", true},
      {"rule A { strings: $a = \"x\" condition: $a }\nrule B { strings: $b = \"y\" condition: "
       "(#b > 2 and $b) }",
       true},
      // Conditions that can hold without any string hit.
      {"rule A { strings: $a = \"x\" condition: not $a }", false},
      {"rule A { strings: $a = \"x\" condition: $a or filesize < 10 }", false},
      {"rule A { strings: $a = \"x\" condition: #a == 0 }", false},
      {"rule A { strings: $a = \"x\" condition: 0 of them }", false},
      {"rule A { strings: $a = \"x\" condition: for any of them : ( # >= 0 ) }", false},
      {"rule A { condition: uint16(0) == 0x5a4d }", false},
      {"rule A { strings: $a = \"x\" condition: $a }\nrule B { condition: true }", false},
      {"rule A { strings: $a = \"x\" condition: $a }\nprivate rule P { condition: filesize > 0 }",
       false},
      {"rule A { strings: $a = \"x\" condition: any of them or true }", false},
  };
  for (const auto& c : cases) {
    INFO(c.rules);
    CHECK(compile(base, c.rules)->prefilter().strings_required() == c.required);
  }
  // An include pulls rules from text never analysed: never required.
  test::write_file(base + "/inc.yar", "rule Inc { condition: true }\n");
  auto inc = compile(base, "include \"inc.yar\"\nrule A { strings: $a = \"x\" condition: $a }\n");
  CHECK_FALSE(inc->prefilter().strings_required());
}
