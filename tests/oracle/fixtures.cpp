// The fixture trees (see fixtures.h). Each one is a variation of a small Ubuntu 22.04
// base; comments name the definitions it is meant to flip.
#include "tests/oracle/fixtures.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/util/hash.h"

namespace vigil::oracle {
namespace {

namespace fs = std::filesystem;

Node file(std::string path, std::string data, mode_t mode = 0644, uid_t uid = 0, gid_t gid = 0) {
  return Node{Node::kFile, std::move(path), std::move(data), mode, uid, gid};
}
Node dir(std::string path, mode_t mode = 0755, uid_t uid = 0, gid_t gid = 0) {
  return Node{Node::kDir, std::move(path), "", mode, uid, gid};
}
Node link(std::string path, std::string target) {
  return Node{Node::kSymlink, std::move(path), std::move(target), 0777, 0, 0};
}

std::string host_file(const char* p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string pkg(const std::string& name, const std::string& version,
                const std::string& status = "install ok installed") {
  return "Package: " + name + "\nStatus: " + status +
         "\nPriority: optional\nSection: misc\nInstalled-Size: 100\nMaintainer: Ubuntu "
         "<ubuntu-devel@lists.ubuntu.com>\nArchitecture: amd64\nVersion: " +
         version + "\nDescription: " + name + "\n\n";
}

const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
    "sys:x:3:3:sys:/dev:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const char* kGroup =
    "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:syslog\nshadow:x:42:\nnogroup:x:65534:\n";
const char* kShadow =
    "root:$6$saltsalt$abcdefghijklmnopqrstuv:19000:0:99999:7:::\n"
    "daemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\nsys:*:19000:0:99999:7:::\n"
    "nobody:*:19000:0:99999:7:::\n";

// A small Ubuntu 22.04 base every fixture starts from. usr/share/dpkg tables are copied
// from the host: oscap's libapt needs them to open the root's dpkg database.
std::vector<Node> base(const std::string& extra_packages = "") {
  return {
      dir("/etc"),
      dir("/usr/share/dpkg"),
      file("/usr/share/dpkg/cputable", host_file("/usr/share/dpkg/cputable")),
      file("/usr/share/dpkg/tupletable", host_file("/usr/share/dpkg/tupletable")),
      dir("/var/lib/dpkg"),
      dir("/var/lib/apt/lists"),
      dir("/var/cache/apt/archives/partial"),
      file("/etc/os-release",
           "PRETTY_NAME=\"Ubuntu 22.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
           "VERSION=\"22.04.1 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\n"
           "ID_LIKE=debian\n"),
      file("/etc/lsb-release",
           "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n"
           "DISTRIB_DESCRIPTION=\"Ubuntu 22.04.1 LTS\"\n"),
      file("/etc/passwd", kPasswd),
      file("/etc/group", kGroup),
      file("/etc/shadow", kShadow, 0640, 0, 42),
      file("/etc/gshadow", "root:*::\nshadow:*::\n", 0640, 0, 42),
      file("/var/lib/dpkg/status", pkg("base-files", "12ubuntu4.2") + pkg("bash", "5.1-6ubuntu1") +
                                       pkg("login", "1:4.8.1-2ubuntu2") +
                                       pkg("libpam-modules", "1.4.0-11ubuntu2") + extra_packages),
      dir("/root", 0700),
      dir("/tmp", 01777),
      dir("/home"),
  };
}

std::vector<Node> with(std::vector<Node> a, std::vector<Node> b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

std::vector<Fixture> oracle_fixtures() {
  std::vector<Fixture> f;
  f.push_back({"minimal", "the base tree only", base()});

  f.push_back(
      {"ssh_hardened", "openssh-server installed, CIS-style sshd_config",
       with(base(pkg("openssh-server", "1:8.9p1-3ubuntu0.1") +
                 pkg("openssh-client", "1:8.9p1-3ubuntu0.1")),
            {dir("/etc/ssh"), dir("/etc/ssh/sshd_config.d"),
             file("/etc/ssh/sshd_config",
                  "Include /etc/ssh/sshd_config.d/*.conf\n"
                  "Protocol 2\nLogLevel VERBOSE\nPermitRootLogin no\n"
                  "PermitEmptyPasswords no\nHostbasedAuthentication no\n"
                  "IgnoreRhosts yes\nX11Forwarding no\nMaxAuthTries 4\n"
                  "PermitUserEnvironment no\nClientAliveInterval 300\n"
                  "ClientAliveCountMax 0\nLoginGraceTime 60\nBanner /etc/issue.net\n"
                  "UsePAM yes\nAllowTcpForwarding no\nMaxStartups 10:30:60\n"
                  "MaxSessions 10\nCiphers aes256-ctr,aes192-ctr,aes128-ctr\n"
                  "MACs hmac-sha2-512,hmac-sha2-256\nGSSAPIAuthentication no\n"
                  "KerberosAuthentication no\nStrictModes yes\nCompression no\n"
                  "IgnoreUserKnownHosts yes\n",
                  0600),
             file("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication no\n", 0600),
             file("/etc/ssh/ssh_host_rsa_key", "KEY\n", 0600),
             file("/etc/ssh/ssh_host_rsa_key.pub", "PUB\n", 0644),
             file("/etc/issue.net", "Authorized uses only.\n"),
             file("/etc/issue", "Authorized uses only.\n")})});

  f.push_back({"ssh_weak", "openssh-server installed, permissive sshd_config with bad perms",
               with(base(pkg("openssh-server", "1:8.9p1-3ubuntu0.1")),
                    {dir("/etc/ssh"),
                     file("/etc/ssh/sshd_config",
                          "PermitRootLogin yes\nPermitEmptyPasswords yes\nX11Forwarding yes\n"
                          "  # indented comment\nMaxAuthTries 10\nHostbasedAuthentication yes\n"
                          "IgnoreRhosts no\nPermitUserEnvironment yes\nLogLevel QUIET\n"
                          "ClientAliveInterval 0\nCiphers 3des-cbc,aes128-cbc\n",
                          0666),
                     file("/etc/ssh/ssh_host_rsa_key", "KEY\n", 0644),
                     file("/etc/issue", "Ubuntu \\n \\l\n")})});

  f.push_back({"login_defs_strict", "login.defs with CIS values, pwquality, umask",
               with(base(pkg("libpam-pwquality", "1.4.4-1build2")),
                    {file("/etc/login.defs",
                          "MAIL_DIR /var/mail\nPASS_MAX_DAYS 90\nPASS_MIN_DAYS 1\nPASS_WARN_AGE 7\n"
                          "UMASK 027\nENCRYPT_METHOD SHA512\nSHA_CRYPT_MIN_ROUNDS 5000\n"
                          "USERGROUPS_ENAB no\nCREATE_HOME yes\nFAIL_DELAY 4\n"),
                     dir("/etc/security"),
                     file("/etc/security/pwquality.conf",
                          "minlen = 14\nminclass = 4\ndcredit = -1\nucredit = -1\nocredit = -1\n"
                          "lcredit = -1\nretry = 3\ndictcheck = 1\nmaxrepeat = 3\n"),
                     file("/etc/default/useradd", "SHELL=/bin/sh\nINACTIVE=30\n"),
                     file("/etc/profile", "umask 027\nTMOUT=900\nreadonly TMOUT\nexport TMOUT\n"),
                     file("/etc/bash.bashrc", "umask 027\n")})});

  f.push_back({"login_defs_weak", "login.defs with defaults that fail CIS",
               with(base(), {file("/etc/login.defs",
                                  "PASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 3\n"
                                  "UMASK 022\nENCRYPT_METHOD MD5\n"),
                             file("/etc/profile", "umask 022\n"),
                             file("/etc/default/useradd", "SHELL=/bin/sh\n# INACTIVE=-1\n")})});

  f.push_back(
      {"pam_configured", "PAM stack with pwquality, pwhistory, faillock, sha512",
       with(base(pkg("libpam-pwquality", "1.4.4-1build2") +
                 pkg("libpam-runtime", "1.4.0-11ubuntu2")),
            {dir("/etc/pam.d"),
             file("/etc/pam.d/common-password",
                  "password requisite pam_pwquality.so retry=3\n"
                  "password required pam_pwhistory.so remember=5 use_authtok\n"
                  "password [success=1 default=ignore] pam_unix.so obscure use_authtok "
                  "try_first_pass yescrypt sha512 remember=5\n"
                  "password requisite pam_deny.so\npassword required pam_permit.so\n"),
             file("/etc/pam.d/common-auth",
                  "auth required pam_faillock.so preauth audit silent deny=5 "
                  "unlock_time=900\n"
                  "auth [success=1 default=ignore] pam_unix.so nullok\n"
                  "auth [default=die] pam_faillock.so authfail audit deny=5 unlock_time=900\n"
                  "auth sufficient pam_faillock.so authsucc audit deny=5 unlock_time=900\n"
                  "auth requisite pam_deny.so\nauth required pam_permit.so\n"),
             file("/etc/pam.d/common-account",
                  "account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\n"
                  "account requisite pam_deny.so\naccount required pam_permit.so\n"
                  "account required pam_faillock.so\n"),
             file("/etc/pam.d/su", "auth required pam_wheel.so use_uid group=sugroup\n"),
             file("/etc/pam.d/login",
                  "auth optional pam_faildelay.so delay=4000000\n"
                  "session required pam_lastlog.so showfailed\n"),
             dir("/etc/security"),
             file("/etc/security/faillock.conf",
                  "deny = 4\nfail_interval = 900\n"
                  "unlock_time = 600\n"),
             file("/etc/security/pwquality.conf", "minlen = 8\n")})});

  f.push_back({"sysctl_files", "sysctl.conf and sysctl.d with hardening values (and one conflict)",
               with(base(), {file("/etc/sysctl.conf",
                                  "net.ipv4.ip_forward = 0\nnet.ipv4.conf.all.send_redirects = 0\n"
                                  "kernel.randomize_va_space = 2\n"),
                             dir("/etc/sysctl.d"),
                             file("/etc/sysctl.d/60-cis.conf",
                                  "net.ipv4.conf.all.accept_redirects = 0\n"
                                  "net.ipv4.conf.default.accept_redirects = 0\n"
                                  "net.ipv4.conf.all.accept_source_route=0\n"
                                  "net.ipv4.tcp_syncookies = 1\n"
                                  "net.ipv4.icmp_echo_ignore_broadcasts = 1\n"
                                  "net.ipv6.conf.all.accept_ra = 0\nfs.suid_dumpable = 0\n"
                                  "kernel.dmesg_restrict = 1\nkernel.kptr_restrict = 2\n"
                                  "net.ipv4.conf.all.log_martians = 1\n"),
                             file("/etc/sysctl.d/99-override.conf", "net.ipv4.ip_forward = 1\n"),
                             dir("/usr/lib/sysctl.d"),
                             file("/usr/lib/sysctl.d/50-default.conf",
                                  "kernel.core_uses_pid = 1\nfs.protected_symlinks = 1\n"),
                             dir("/etc/security/limits.d"),
                             file("/etc/security/limits.conf", "* hard core 0\n")})});

  f.push_back({"fstab_mounts", "fstab with separate partitions and mount options",
               with(base(), {file("/etc/fstab",
                                  "# <file system> <mount point> <type> <options> <dump> <pass>\n"
                                  "UUID=1111 / ext4 errors=remount-ro 0 1\n"
                                  "UUID=2222 /home ext4 defaults,nodev,nosuid 0 2\n"
                                  "tmpfs /tmp tmpfs defaults,rw,nosuid,nodev,noexec,relatime 0 0\n"
                                  "UUID=3333 /var ext4 defaults,nodev 0 2\n"
                                  "UUID=4444 /var/log ext4 defaults,nodev,nosuid,noexec 0 2\n"
                                  "UUID=5555 /var/log/audit ext4 defaults,nodev,nosuid,noexec 0 2\n"
                                  "UUID=6666 /var/tmp ext4 defaults,nodev,nosuid 0 2\n"
                                  "tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0\n"
                                  "/dev/cdrom /media/cdrom iso9660 ro,user,noauto 0 0\n"),
                             dir("/var/tmp", 01777), dir("/var/log"), dir("/var/log/audit")})});

  f.push_back(
      {"accounts", "users with uid >= 1000, homes, a duplicate uid and an empty password",
       with(base(),
            {file("/etc/passwd", std::string(kPasswd) +
                                     "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
                                     "bob:x:1001:1001:Bob:/home/bob:/bin/bash\n"
                                     "toor:x:0:0:dup root:/root:/bin/bash\n"
                                     "carol:x:1002:1002:Carol:/home/carol:/bin/sh\n"),
             file("/etc/group", std::string(kGroup) + "alice:x:1000:\nbob:x:1001:\ncarol:x:1002:\n"
                                                      "sudo:x:27:alice\nalice:x:1003:\n"),
             file("/etc/shadow",
                  std::string(kShadow) +
                      "alice:$6$s$hash:19000:1:90:7:30::\n"
                      "bob::19000:0:99999:7:::\ntoor:$1$md5$hash:19000:0:99999:7:::\n"
                      "carol:$y$j9T$abc$def:19000:1:60:7:30::\n",
                  0640, 0, 42),
             dir("/home/alice", 0750, 1000, 1000), dir("/home/bob", 0755, 1001, 1001),
             file("/home/alice/.bashrc", "umask 022\n", 0644, 1000, 1000),
             file("/home/bob/.netrc", "machine x login y password z\n", 0644, 1001, 1001),
             file("/home/bob/.rhosts", "+ +\n", 0644, 1001, 1001),
             file("/home/alice/.bash_history", "ls\n", 0600, 1000, 1000)})});

  f.push_back({"packages", "dpkg status with services that CIS wants removed and tools it wants",
               with(base(pkg("telnetd", "0.17-44build1") + pkg("rsh-client", "0.17-22") +
                         pkg("nis", "4.3") + pkg("xinetd", "1:2.3.15.3-1") +
                         pkg("aide", "0.17.4-1") + pkg("auditd", "1:3.0.7-1build1") +
                         pkg("apparmor", "3.0.4-2ubuntu2.1") + pkg("chrony", "4.2-2ubuntu2") +
                         pkg("ufw", "0.36.1-4build1") + pkg("rsyslog", "8.2112.0-2ubuntu2.2") +
                         pkg("sudo", "1.9.9-1ubuntu2.1") + pkg("cron", "3.0pl1-137ubuntu3") +
                         pkg("talk", "0.17-17", "deinstall ok config-files") +
                         pkg("avahi-daemon", "0.8-5ubuntu5", "install ok half-configured") +
                         pkg("vsftpd", "3.0.5-0ubuntu1", "purge ok not-installed") +
                         pkg("libpam-pwquality", "1.4.4-1build2")),
                    {dir("/etc/sudoers.d"),
                     file("/etc/sudoers",
                          "Defaults use_pty\nDefaults logfile=\"/var/log/sudo.log\"\n"
                          "root ALL=(ALL:ALL) ALL\n",
                          0440),
                     file("/etc/chrony/chrony.conf", "pool 2.ubuntu.pool.ntp.org iburst\n"),
                     file("/etc/default/ufw", "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\n"),
                     file("/etc/rsyslog.conf", "$FileCreateMode 0640\n*.* @@loghost.example.com\n"),
                     file("/etc/aide/aide.conf", "database_in=file:/var/lib/aide/aide.db\n")})});

  f.push_back(
      {"systemd_units", "systemd unit files, enablement symlinks and a masked unit",
       with(base(pkg("systemd", "249.11-0ubuntu3.6")),
            {dir("/lib/systemd/system"), dir("/etc/systemd/system/multi-user.target.wants"),
             file("/lib/systemd/system/auditd.service",
                  "[Unit]\nDescription=Security Auditing Service\n[Service]\n"
                  "ExecStart=/sbin/auditd\n[Install]\nWantedBy=multi-user.target\n"),
             file("/lib/systemd/system/rsyslog.service",
                  "[Service]\nExecStart=/usr/sbin/rsyslogd -n\n"),
             link("/etc/systemd/system/multi-user.target.wants/auditd.service",
                  "/lib/systemd/system/auditd.service"),
             link("/etc/systemd/system/ctrl-alt-del.target", "/dev/null"),
             link("/etc/systemd/system/autofs.service", "/dev/null"),
             dir("/etc/systemd/journald.conf.d"),
             file("/etc/systemd/journald.conf",
                  "[Journal]\nStorage=persistent\nCompress=yes\nForwardToSyslog=yes\n"),
             file("/etc/systemd/coredump.conf", "[Coredump]\nStorage=none\nProcessSizeMax=0\n"),
             file("/etc/systemd/system/tmp.mount",
                  "[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\n"
                  "Options=mode=1777,strictatime,nosuid,nodev,noexec\n")})});

  f.push_back(
      {"permissions_bad", "key files with wrong modes/owners, world-writable and suid files",
       with(base(pkg("cron", "3.0pl1-137ubuntu3")),
            {file("/etc/passwd", kPasswd, 0666), file("/etc/group", kGroup, 0664, 0, 4),
             file("/etc/shadow", kShadow, 0644, 0, 0),
             file("/etc/gshadow", "root:*::\n", 0666, 0, 0), file("/etc/passwd-", kPasswd, 0644),
             file("/etc/crontab", "* * * * * root true\n", 0644), dir("/etc/cron.d", 0777),
             dir("/etc/cron.daily", 0755), dir("/etc/cron.hourly", 0700),
             dir("/etc/cron.weekly", 0700), dir("/etc/cron.monthly", 0700), dir("/boot/grub"),
             file("/boot/grub/grub.cfg", "set superusers=\"root\"\n", 0644), dir("/usr/bin"),
             file("/usr/bin/sudo", "ELF", 04755), dir("/var/log"),
             file("/var/log/syslog", "log\n", 0666, 0, 4), dir("/etc/audit"),
             file("/etc/audit/auditd.conf", "max_log_file = 8\n", 0666)})});

  f.push_back(
      {"audit_grub", "audit rules, auditd.conf, GRUB command line, AppArmor, banners",
       with(base(pkg("auditd", "1:3.0.7-1build1") + pkg("apparmor", "3.0.4-2ubuntu2.1")),
            {dir("/etc/audit/rules.d", 0750),
             file("/etc/audit/auditd.conf",
                  "log_file = /var/log/audit/audit.log\nlog_group = root\nmax_log_file = 8\n"
                  "max_log_file_action = keep_logs\nspace_left_action = email\n"
                  "action_mail_acct = root\nadmin_space_left_action = halt\n"
                  "disk_full_action = HALT\n",
                  0640),
             file("/etc/audit/rules.d/50-cis.rules",
                  "-w /etc/sudoers -p wa -k scope\n-w /etc/sudoers.d -p wa -k scope\n"
                  "-a always,exit -F arch=b64 -S adjtimex -S settimeofday -k time-change\n"
                  "-a always,exit -F arch=b32 -S adjtimex -S settimeofday -S stime -k time-change\n"
                  "-w /etc/localtime -p wa -k time-change\n"
                  "-w /etc/group -p wa -k identity\n-w /etc/passwd -p wa -k identity\n"
                  "-w /var/log/faillog -p wa -k logins\n-w /var/log/lastlog -p wa -k logins\n"
                  "-a always,exit -F arch=b64 -S execve -C uid!=euid -F euid=0 -k user_emulation\n"
                  "-w /sbin/insmod -p x -k modules\n-e 2\n",
                  0640),
             file("/etc/default/grub",
                  "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=8192 "
                  "apparmor=1 security=apparmor\"\n"),
             dir("/boot/grub"),
             file("/boot/grub/grub.cfg",
                  "set superusers=\"root\"\npassword_pbkdf2 root grub.pbkdf2.sha512.10000.ABC\n"
                  "linux /vmlinuz root=/dev/sda1 ro audit=1 audit_backlog_limit=8192 apparmor=1\n",
                  0400),
             dir("/etc/modprobe.d"),
             file("/etc/modprobe.d/cis.conf",
                  "install cramfs /bin/false\nblacklist cramfs\ninstall usb-storage /bin/true\n"
                  "install dccp /bin/true\n"),
             file("/etc/motd", "Authorized uses only.\n"),
             file("/etc/issue", "Authorized uses only. All activity may be monitored.\n")})});

  f.push_back({"symlink_escape", "symlinks pointing outside the root, '..' escapes, a FIFO",
               // Unconfined, these would read the host's /etc/hostname and /usr/share/dpkg;
               // inside the root they resolve to missing files / a self loop.
               with(base(), {link("/etc/ssh", "/../../../../../etc/ssh"),
                             link("/etc/login.defs", "../../../../../../../../etc/hostname"),
                             link("/etc/issue", "/../../../usr/share/dpkg/ostable"),
                             link("/etc/loop1", "/etc/loop2"), link("/etc/loop2", "/etc/loop1"),
                             dir("/etc/sysctl.d"), link("/etc/sysctl.d/self", "/etc/sysctl.d"),
                             Node{Node::kFifo, "/etc/security", "", 0644, 0, 0}})});
  return f;
}

std::string fixture_hash(const Fixture& f) {
  Sha256 h;
  h.update("vigil-oracle-fixture-v1\n");
  for (const auto& n : f.nodes) {
    h.update(n.path + "\n" + std::to_string(n.kind) + " " + std::to_string(n.mode) + " " +
             std::to_string(n.uid) + " " + std::to_string(n.gid) + " " +
             std::to_string(n.data.size()) + "\n");
    h.update(n.data);
  }
  return h.hex();
}

std::string oscap_cache_dir() {
  static const std::string dir = [] {
    const char* env = std::getenv("VIGIL_ORACLE_CACHE");
    std::string base = env && *env ? env : VIGIL_ORACLE_CACHE;
    std::string version;
    if (FILE* p = ::popen("oscap --version 2>/dev/null", "r")) {
      char line[256];
      if (std::fgets(line, sizeof line, p)) version = line;
      ::pclose(p);
    }
    std::string d = base + "/oscap-" + sha256_hex(version).substr(0, 16);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

std::string oscap_apt_conf() {
  const std::string path = oscap_cache_dir() + "/apt.conf";
  if (!fs::exists(path)) std::ofstream(path) << "Dir::Etc::parts \"/nonexistent\";\n";
  return path;
}

void clean_oscap_droppings(const std::string& root) {
  std::error_code ec;
  for (const char* dir : {"", "/var/cache/apt"})
    for (const auto& e : fs::directory_iterator(root + dir, ec))
      if (e.path().extension() == ".bin" ||
          e.path().filename().string().find(".bin.") != std::string::npos)
        fs::remove(e.path(), ec);
}

void parallel_for(std::size_t n, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) job(i);
  };
  std::vector<std::thread> pool(std::max(1u, std::thread::hardware_concurrency()) - 1);
  for (auto& t : pool) t = std::thread(worker);
  worker();
  for (auto& t : pool) t.join();
}

std::string build_fixture(const Fixture& f, const std::string& root) {
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  if (ec) return "cannot create " + root + ": " + ec.message();
  for (const auto& n : f.nodes) {
    std::string p = root + n.path;
    fs::create_directories(fs::path(p).parent_path(), ec);
    ::unlink(p.c_str());
    switch (n.kind) {
      case Node::kDir:
        fs::create_directories(p, ec);
        break;
      case Node::kFile: {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out << n.data;
        if (!out) return "cannot write " + p;
        break;
      }
      case Node::kSymlink:
        if (::symlink(n.data.c_str(), p.c_str()) != 0) return "cannot symlink " + p;
        continue;
      case Node::kFifo:
        if (::mkfifo(p.c_str(), n.mode) != 0) return "cannot mkfifo " + p;
        break;
    }
    ::chmod(p.c_str(), n.mode);
    ::lchown(p.c_str(), n.uid, n.gid);
  }
  return "";
}

std::string hash_tree(const std::string& root) {
  std::vector<std::string> lines;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string p = it->path().string();
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0) continue;
    std::string line = p.substr(root.size()) + " " + std::to_string(st.st_mode) + " " +
                       std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) + " " +
                       std::to_string(st.st_mtime) + " ";
    if (S_ISREG(st.st_mode)) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      line += sha256_hex(ss.str());
    } else if (S_ISLNK(st.st_mode)) {
      line += fs::read_symlink(p, ec).string();
    }
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  Sha256 h;
  for (const auto& l : lines) h.update(l + "\n");
  return h.hex();
}

}  // namespace vigil::oracle
