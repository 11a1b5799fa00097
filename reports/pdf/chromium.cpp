// Chromium subprocess (see chromium.h). fork/exec with an argv vector: no shell,
// so paths with spaces or quotes are passed as they are.
#include "reports/pdf/chromium.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace vigil::reports {

namespace fs = std::filesystem;

std::string find_chromium() {
  if (const char* env = std::getenv("VIGIL_CHROMIUM"); env && *env)
    return ::access(env, X_OK) == 0 ? env : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::size_t start = 0;
    while (start <= dirs.size()) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string cand = dirs.substr(start, end - start) + "/" + name;
      if (end > start && ::access(cand.c_str(), X_OK) == 0) return cand;
      start = end + 1;
    }
  }
  return {};
}

std::string file_url(const std::string& path) {
  std::string abs = fs::absolute(path).lexically_normal().string();
  std::string out = "file://";
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : abs) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

Result<ChromiumRun> run_chromium(const std::vector<std::string>& args, int timeout_s) {
  const std::string exe = find_chromium();
  if (exe.empty())
    return Error{"", "chromium not found: install it with `apt-get install chromium`"};
  std::error_code ec;
  char tmpl[] = "/tmp/vigil-chromium-XXXXXX";
  if (!::mkdtemp(tmpl)) return Error{"", "cannot create a temporary profile directory"};
  const std::string profile = tmpl;
  const std::string out_file = profile + "/stdout";
  std::vector<std::string> argv = {exe,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--disable-dev-shm-usage",
                                   "--user-data-dir=" + profile + "/profile"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) return Error{"", "cannot start chromium: fork failed"};
  if (pid == 0) {
    // New process group: the timeout kills Chromium's helper processes too.
    ::setpgid(0, 0);
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = ::open("/dev/null", O_RDWR);
    if (out >= 0) ::dup2(out, 1);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 2);
    }
    ::execv(exe.c_str(), cargv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool timed_out = false;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Helpers (zygote, GPU) may outlive the browser by a moment: end the group.
  ::kill(-pid, SIGKILL);
  ChromiumRun run;
  {
    std::FILE* f = std::fopen(out_file.c_str(), "rb");
    if (f) {
      char buf[65536];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) run.stdout_text.append(buf, n);
      std::fclose(f);
    }
  }
  fs::remove_all(profile, ec);
  if (timed_out)
    return Error{"", "chromium did not finish within " + std::to_string(timeout_s) + " s"};
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (run.exit_code == 127) return Error{"", "cannot run " + exe};
  return run;
}

}  // namespace vigil::reports
