// Helpers for the host-scanner tests (walk, yara, certs, fim, posture): generated trees
// under VIGIL_TEST_TMP, and running shell commands (openssl, yara) as oracles.
#pragma once

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace vigil::test {

// A fresh, empty directory VIGIL_TEST_TMP/<name>.
inline std::string fresh_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path p = fs::path(VIGIL_TEST_TMP) / name;
  std::error_code ec;
  // chmod 000 directories from an earlier failed run must not block the removal.
  if (fs::exists(p, ec))
    for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
         it.increment(ec))
      if (!it->is_symlink(ec)) ::chmod(it->path().c_str(), 0755);
  fs::remove_all(p, ec);
  fs::create_directories(p);
  return p.string();
}

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct CmdResult {
  int status = -1;
  std::string out;
};

// Runs a shell command, returns exit status and stdout.
inline CmdResult run(const std::string& cmd) {
  CmdResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// The EICAR test string, assembled at run time so that no file in the repository
// (and no object file) contains it whole and trips an antivirus.
inline std::string eicar() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
}

}  // namespace vigil::test
