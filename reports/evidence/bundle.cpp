// Evidence bundle pack / verify (see bundle.h and docs/reports.md "Evidence bundle").
#include "reports/evidence/bundle.h"

#include <fcntl.h>
#include <unistd.h>
#include <cctype>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "core/util/hash.h"
#include "core/util/time.h"
#include "reports/evidence/keys.h"
#include "reports/evidence/tar.h"
#include "reports/formats.h"

namespace vigil::reports::evidence {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Result<std::string> slurp(const std::string& path, std::uintmax_t cap) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Error{path, "cannot open: " + ec.message()};
  if (size > cap) return Error{path, "too large"};
  std::ifstream in(path, std::ios::binary);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (!in) return Error{path, "read failed"};
  return data;
}

// "dir/<n>-<file name>" with only portable characters, within the ustar name limit.
std::string member_name(const std::string& dir, std::size_t n, const std::string& path) {
  std::string base = fs::path(path).filename().string();
  for (char& c : base)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  if (base.empty() || base == "." || base == "..") base = "file";
  std::string name = dir + "/" + std::to_string(n) + "-" + base;
  if (name.size() > tar::kMaxName) name = name.substr(0, tar::kMaxName);
  return name;
}

// What the results say about their benchmark files, plus a fresh hash when the
// file is still where the results say it was.
json benchmark_entry(const std::string& path, const std::string& text) {
  json entry = {{"results", path}};
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return entry;
  auto str = [](const json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto b = j.find("benchmark"); b != j.end() && b->is_object()) {
    entry["id"] = str(*b, "id");
    entry["version"] = str(*b, "version");
    entry["source"] = str(*b, "source");
    entry["sha256"] = str(*b, "sha256");
    const std::string src = str(*b, "source");
    if (!src.empty()) {
      if (auto data = slurp(src, 1ull << 32)) {
        entry["sha256_at_pack"] = sha256_hex(*data);
        entry["matches"] = entry["sha256_at_pack"] == entry["sha256"];
      }
    }
  }
  if (auto p = j.find("profile"); p != j.end() && p->is_object()) {
    entry["profile"] = str(*p, "id");
    if (auto t = p->find("tailoring"); t != p->end() && t->is_object())
      entry["tailoring"] = {{"path", str(*t, "path")}, {"sha256", str(*t, "sha256")}};
  }
  return entry;
}

}  // namespace

Result<PackSummary> pack(const PackRequest& req) {
  std::vector<tar::Member> members;
  json benchmarks = json::array();
  auto add_files = [&](const std::vector<std::string>& paths, const std::string& dir,
                       bool is_results) -> Status {
    for (std::size_t i = 0; i < paths.size(); ++i) {
      auto data = slurp(paths[i], kMaxBundleBytes);
      if (!data) return data.error();
      if (is_results) benchmarks.push_back(benchmark_entry(paths[i], *data));
      members.push_back({member_name(dir, i + 1, paths[i]), std::move(*data)});
    }
    return ok_status();
  };
  if (auto st = add_files(req.results, "inputs/results", true); !st) return st.error();
  if (auto st = add_files(req.findings, "inputs/findings", false); !st) return st.error();
  if (auto st = add_files(req.reports, "reports", false); !st) return st.error();
  auto fp = fingerprint(req.key, true);
  if (!fp) return fp.error();
  const Micros now = now_micros();
  const std::string created = format_rfc3339(now / 1000000 * 1000000);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  members.push_back({"benchmarks.json", json(benchmarks).dump(1) + "\n"});
  members.push_back({"tool.json", json({{"tool", "vigil"},
                                        {"version", VIGIL_VERSION},
                                        {"command_line", req.command_line},
                                        {"created", created},
                                        {"hostname", host}})
                                          .dump(1, ' ', false, json::error_handler_t::replace) +
                                      "\n"});
  json files = json::array();
  std::uint64_t bytes = 0;
  for (const auto& m : members) {
    files.push_back({{"path", m.name}, {"sha256", sha256_hex(m.data)}, {"size", m.data.size()}});
    bytes += m.data.size();
  }
  const std::string manifest =
      json({{"format", "vigil-evidence-manifest"},
            {"format_version", 1},
            {"created", created},
            {"signature",
             {{"algorithm", "ed25519"}, {"file", kSignature}, {"public_key_sha256", *fp}}},
            {"files", files}})
          .dump(1) +
      "\n";
  auto sig = sign(req.key, manifest);
  if (!sig) return sig.error();
  const std::size_t listed = members.size();
  members.push_back({kManifest, manifest});
  members.push_back({kSignature, *sig});
  auto archive = tar::write(members, now / 1000000);
  if (!archive) return archive.error();
  if (auto st = write_file(req.out, *archive); !st) return st.error();
  return PackSummary{listed, bytes, *fp};
}

Result<VerifyReport> verify_bundle(const std::string& bundle_path, const std::string& pub_path) {
  auto fp = fingerprint(pub_path);
  if (!fp) return fp.error();
  auto bytes = slurp(bundle_path, kMaxBundleBytes);
  if (!bytes) return bytes.error();
  VerifyReport rep;
  rep.key_fingerprint = *fp;
  auto members = tar::read(*bytes);
  if (!members) {
    rep.problems.push_back("bundle: " + members.error().str());
    return rep;
  }
  std::map<std::string, const tar::Member*> by_name;
  for (const auto& m : *members) by_name[m.name] = &m;
  const tar::Member* manifest = by_name.count(kManifest) ? by_name[kManifest] : nullptr;
  const tar::Member* sig = by_name.count(kSignature) ? by_name[kSignature] : nullptr;
  if (!manifest) rep.problems.push_back(std::string("missing: ") + kManifest);
  if (!sig) rep.problems.push_back(std::string("missing: ") + kSignature);
  if (!manifest) return rep;
  json mj = json::parse(manifest->data, nullptr, false);
  std::string signer;
  if (mj.is_object() && mj.contains("signature") && mj["signature"].is_object())
    signer = mj["signature"].value("public_key_sha256", "");
  if (sig) {
    if (!verify(pub_path, manifest->data, sig->data)) {
      std::string why = std::string("signature: ") + kSignature + " does not verify " + kManifest +
                        " with " + pub_path;
      if (!signer.empty() && signer != *fp)
        why += " (the manifest names signing key " + signer.substr(0, 16) + "…, " + pub_path +
               " is " + fp->substr(0, 16) + "…: wrong key)";
      else
        why += " (manifest.json or manifest.sig modified)";
      rep.problems.push_back(why);
    }
  }
  if (!mj.is_object() || !mj.contains("files") || !mj["files"].is_array()) {
    rep.problems.push_back(std::string("modified: ") + kManifest + " (no files list)");
    return rep;
  }
  std::map<std::string, bool> listed;
  for (const auto& f : mj["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string()) {
      rep.problems.push_back(std::string("modified: ") + kManifest + " (malformed entry)");
      continue;
    }
    const std::string path = f["path"].get<std::string>();
    listed[path] = true;
    ++rep.files;
    auto it = by_name.find(path);
    if (it == by_name.end()) {
      rep.problems.push_back("missing: " + path);
      continue;
    }
    const bool size_ok = f.contains("size") && f["size"].is_number_unsigned() &&
                         f["size"].get<std::uint64_t>() == it->second->data.size();
    const bool hash_ok = f.contains("sha256") && f["sha256"].is_string() &&
                         f["sha256"].get<std::string>() == sha256_hex(it->second->data);
    if (!size_ok || !hash_ok) rep.problems.push_back("modified: " + path);
  }
  for (const auto& m : *members)
    if (m.name != kManifest && m.name != kSignature && !listed.count(m.name))
      rep.problems.push_back("extra: " + m.name);
  rep.ok = rep.problems.empty();
  return rep;
}

Status extract_bundle(const std::string& bundle_path, const std::string& dir) {
  auto bytes = slurp(bundle_path, kMaxBundleBytes);
  if (!bytes) return bytes.error();
  auto members = tar::read(*bytes);  // names already checked: relative, no "..".
  if (!members) return Error{bundle_path, members.error().str()};
  std::error_code ec;
  for (const auto& m : *members) {
    const fs::path target = fs::path(dir) / m.name;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Error{target.string(), "cannot create directory: " + ec.message()};
    // O_EXCL | O_NOFOLLOW: never overwrite, never follow a planted symlink.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd < 0) return Error{target.string(), "cannot create (exists?)"};
    const char* p = m.data.data();
    std::size_t left = m.data.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n <= 0) {
        ::close(fd);
        return Error{target.string(), "write failed"};
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  return ok_status();
}

}  // namespace vigil::reports::evidence
