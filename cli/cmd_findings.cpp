// `vigil findings import|list|set-status|history`: the tenant-scoped findings store.
#include <pwd.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/store_cli.h"
#include "core/store/finding_store.h"
#include "core/store/import_files.h"
#include "core/util/csv.h"
#include "core/util/progress.h"

namespace vigil::cli {
namespace {

Result<std::unique_ptr<store::FindingStore>> open_store(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return store::FindingStore::open(path);
}

std::string current_user() {
  if (const char* s = std::getenv("SUDO_USER"); s && *s) return s;
  if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  return "uid " + std::to_string(::geteuid());
}

// "high+" -> (high, or above); "high" -> exactly high.
bool parse_severity_filter(std::string s, store::ListFilter& f) {
  if (!s.empty() && s.back() == '+') {
    f.severity_or_above = true;
    s.pop_back();
  }
  f.severity = core::parse_severity(s);
  return f.severity.has_value();
}

int do_import(Context& ctx, const std::vector<std::string>& files, const std::string& tenant,
              const std::string& db_path) {
  auto st = open_store(db_path);
  if (!st) return print_error(st.error()), kExitError;
  auto before = (*st)->count(tenant);
  if (!before) return print_error(before.error()), kExitError;
  Progress bar("import", store::files_size(files), ctx.quiet);
  auto imp = store::import_files(**st, files, tenant, now_micros(),
                                 [&bar](std::uint64_t done) { bar.update(done); });
  if (!imp) return print_error(imp.error()), kExitError;  // the store is unchanged
  bar.finish();
  auto after = (*st)->count(tenant);
  if (!after) return print_error(after.error()), kExitError;
  print_info(ctx, "imported " + std::to_string(imp->added) + " findings for tenant '" + tenant +
                      "' (" + std::to_string(*after - *before) + " new, " +
                      std::to_string(imp->added - (*after - *before)) + " updated) into " +
                      db_path);
  return kExitOk;
}

// The table's columns have fixed widths: it streams like JSON and CSV.
void print_table_header() {
  std::printf("%-12s  %-8s  %-32s  %-18s  %6s  %-20s  %-14s  %s\n", "ID", "SEVERITY", "TYPE",
              "ASSET", "COUNT", "LAST SEEN", "STATUS", "TITLE");
}

void print_table_row(const store::StoredFinding& f) {
  const std::string_view asset = !f.hostname.empty()  ? f.hostname
                                 : !f.ip.empty()      ? f.ip
                                 : !f.host_id.empty() ? f.host_id
                                                      : f.mac;
  std::printf("%-12s  %-8s  %-32s  %-18s  %6llu  %-20s  %-14s  %s\n",
              std::string(f.id.substr(0, 12)).c_str(),
              std::string(core::to_string(f.severity)).c_str(), printable(f.type, 32).c_str(),
              printable(asset, 18).c_str(), static_cast<unsigned long long>(f.count),
              format_rfc3339(f.last_seen - f.last_seen % 1000000).c_str(),
              std::string(core::to_string(f.status)).c_str(), printable(f.title, 80).c_str());
}

const std::string kCsvHeader = csv_row({"id", "tenant", "severity", "type", "source", "asset_ip",
                                        "asset_mac", "asset_hostname", "asset_host_id", "count",
                                        "first_seen", "last_seen", "status", "title"});

// One CSV line of kCsvHeader's columns, appended to `out`.
void append_csv_line(std::string& out, const store::StoredFinding& f) {
  const std::string_view cells[] = {f.id,
                                    f.tenant,
                                    core::to_string(f.severity),
                                    f.type,
                                    core::to_string(f.source),
                                    f.ip,
                                    f.mac,
                                    f.hostname,
                                    f.host_id};
  for (std::string_view c : cells) {
    append_csv_cell(out, c);
    out += ',';
  }
  out += std::to_string(f.count);
  out += ',';
  append_rfc3339(out, f.first_seen);
  out += ',';
  append_rfc3339(out, f.last_seen);
  out += ',';
  append_csv_cell(out, core::to_string(f.status));
  out += ',';
  append_csv_cell(out, f.title);
  out += "\r\n";
}

// Reader connections for a long export: one per CPU this process may use
// (taskset and cpusets count), at most 4.
unsigned list_readers() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<unsigned>(std::clamp(CPU_COUNT(&set), 1, 4));
}

// Without --limit a list stops here and says so on stderr: a million-row
// store would otherwise print hundreds of megabytes by default.
constexpr std::size_t kDefaultLimit = 1000;

struct ListOpts {
  std::string tenant, severity, type, asset, status, since, format, fail_on;
  std::size_t limit = kDefaultLimit;
};

// Whether a finding at or above `fail_on` matches `f` beyond the listed rows.
Result<bool> any_at_or_above(store::FindingStore& st, store::ListFilter f, core::Severity fail_on) {
  if (f.severity && !f.severity_or_above) return *f.severity >= fail_on;
  f.severity = f.severity ? std::max(*f.severity, fail_on) : fail_on;
  f.severity_or_above = true;
  f.limit = 1;
  bool found = false;
  if (auto r = st.visit(f, [&found](const store::StoredFinding&) { found = true; }); !r)
    return r.error();
  return found;
}

int do_list(const Context& ctx, const ListOpts& o, const std::string& db_path) {
  store::ListFilter f;
  f.tenant = o.tenant;
  if (!o.severity.empty() && !parse_severity_filter(o.severity, f))
    return print_error("--severity: unknown severity '" + o.severity +
                       "' (info, low, medium, high, critical, optionally with +)"),
           kExitUsage;
  f.type_prefix = o.type;
  f.asset = o.asset;
  if (!o.status.empty()) {
    f.status = core::parse_status(o.status);
    if (!f.status) return print_error("--status: unknown status '" + o.status + "'"), kExitUsage;
  }
  if (!o.since.empty()) {
    f.since = parse_rfc3339(o.since);
    if (!f.since)
      return print_error("--since: not a date (YYYY-MM-DD or RFC 3339): '" + o.since + "'"),
             kExitUsage;
  }
  std::optional<core::Severity> fail_on;
  if (!o.fail_on.empty()) {
    fail_on = core::parse_severity(o.fail_on);
    if (!fail_on) return print_error("--fail-on: unknown severity '" + o.fail_on + "'"), kExitUsage;
  }
  f.limit = o.limit ? o.limit + 1 : 0;
  if (!std::filesystem::exists(db_path))
    return print_error(Error{db_path, "no findings database (import findings first)"}), kExitError;
  auto st = open_store(db_path);
  if (!st) return print_error(st.error()), kExitError;
  std::string format = o.format;
  if (format.empty()) format = is_tty(STDOUT_FILENO) ? "table" : "json";
  // One row more than asked says the list was cut (not printed). Rows are
  // rendered by several threads at once on a long JSON or CSV export (see
  // FindingStore::render), so what they note is atomic.
  std::atomic<bool> truncated{false}, failing{false};
  auto note = [&](const store::StoredFinding& row, std::size_t i) {
    if (o.limit && i >= o.limit) return truncated.store(true, std::memory_order_relaxed), false;
    if (fail_on && row.severity >= *fail_on) failing.store(true, std::memory_order_relaxed);
    return true;
  };
  Status r = ok_status();
  if (format == "table") {
    print_table_header();
    std::size_t i = 0;
    r = (*st)->visit(f, [&](const store::StoredFinding& row) {
      if (note(row, i++)) print_table_row(row);
    });
    const std::size_t shown = o.limit ? std::min<std::size_t>(i, o.limit) : i;
    if (r) std::printf("%zu finding%s\n", shown, shown == 1 ? "" : "s");
  } else {
    // JSON copies the stored evidence through; both stream out.
    const bool csv = format == "csv";
    if (csv) std::fputs(kCsvHeader.c_str(), stdout);
    r = (*st)->render(
        f, list_readers(),
        [&](const store::StoredFinding& row, std::size_t i, std::string& out) {
          if (!note(row, i)) return;
          if (csv) {
            append_csv_line(out, row);
          } else {
            core::append_json(out, row);
            out += '\n';
          }
        },
        [](std::string_view bytes) { std::fwrite(bytes.data(), 1, bytes.size(), stdout); });
  }
  if (!r) return print_error(r.error()), kExitError;
  std::fflush(stdout);
  if (truncated)
    print_info(ctx, "vigil: note: showing the newest " + std::to_string(o.limit) +
                        " findings; more match (--limit N for more, --limit 0 for all)");
  if (fail_on && !failing && truncated) {
    f.limit = 0;
    auto more = any_at_or_above(**st, f, *fail_on);
    if (!more) return print_error(more.error()), kExitError;
    failing = *more;
  }
  return failing ? kExitFailing : kExitOk;
}

}  // namespace

void add_findings(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("findings", "Import, list and triage findings (per tenant)");
  cmd->require_subcommand(1);
  auto db = std::make_shared<std::string>(default_db());
  cmd->add_option("--db", *db, "Findings database (default $VIGIL_DB or a per-user path)")
      ->capture_default_str();

  auto* imp =
      cmd->add_subcommand("import", "Load findings (JSON Lines) into the store, all or nothing");
  auto files = std::make_shared<std::vector<std::string>>();
  auto tenant = std::make_shared<std::string>();
  imp->add_option("FILE", *files, "Findings file(s), JSON Lines")->required();
  imp->add_option("--tenant", *tenant, "Tenant (client) the findings belong to")
      ->required()
      ->check(kUtf8Text);
  imp->add_option("--db", *db, "Findings database");
  imp->callback(
      [&ctx, files, tenant, db] { ctx.exit_code = do_import(ctx, *files, *tenant, *db); });

  auto* list = cmd->add_subcommand("list", "List a tenant's findings");
  auto lo = std::make_shared<ListOpts>();
  list->add_option("--tenant", lo->tenant, "Tenant")->required()->check(kUtf8Text);
  list->add_option("--severity", lo->severity, "Severity, e.g. high or high+ (high and above)");
  list->add_option("--type", lo->type, "Type prefix, e.g. net.auth");
  list->add_option("--asset", lo->asset, "Asset IP, MAC, hostname or host id");
  list->add_option("--status", lo->status,
                   "Status: new, acknowledged, resolved, false_positive, accepted_risk");
  list->add_option("--since", lo->since, "Only findings seen since DATE (YYYY-MM-DD or RFC 3339)");
  list->add_option("--format", lo->format,
                   "table, json or csv (default: table on a TTY, else json)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  list->add_option("--limit", lo->limit,
                   "At most N findings, newest first (0 = all; a note on stderr when cut)")
      ->capture_default_str();
  list->add_option("--fail-on", lo->fail_on,
                   "Exit 2 when a listed finding is at or above SEVERITY");
  list->add_option("--db", *db, "Findings database");
  list->callback([&ctx, lo, db] { ctx.exit_code = do_list(ctx, *lo, *db); });

  auto* set = cmd->add_subcommand("set-status", "Change a finding's status (audited)");
  auto id = std::make_shared<std::string>();
  auto status = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>(current_user());
  auto set_tenant = std::make_shared<std::string>();
  set->add_option("ID", *id, "Finding id")->required();
  set->add_option("STATUS", *status, "new, acknowledged, resolved, false_positive, accepted_risk")
      ->required();
  set->add_option("--tenant", *set_tenant, "Tenant")->required()->check(kUtf8Text);
  set->add_option("--note", *note, "Why (kept in the audit history)")->required()->check(kUtf8Text);
  set->add_option("--by", *by, "Who made the change (default: the current user)")->check(kUtf8Text);
  set->add_option("--db", *db, "Findings database");
  set->callback([&ctx, id, status, note, by, set_tenant, db] {
    auto s = core::parse_status(*status);
    if (!s) {
      print_error("unknown status '" + *status + "'");
      ctx.exit_code = kExitUsage;
      return;
    }
    auto st = open_store(*db);
    if (!st) return print_error(st.error()), void(ctx.exit_code = kExitError);
    if (auto r = (*st)->set_status(*set_tenant, *id, *s, *note, *by); !r)
      return print_error(r.error()), void(ctx.exit_code = kExitError);
    print_info(ctx, "finding " + *id + " is now " + *status);
  });

  auto* hist = cmd->add_subcommand("history", "Show a finding's status changes");
  auto hid = std::make_shared<std::string>();
  auto htenant = std::make_shared<std::string>();
  auto hformat = std::make_shared<std::string>();
  hist->add_option("ID", *hid, "Finding id")->required();
  hist->add_option("--tenant", *htenant, "Tenant")->required()->check(kUtf8Text);
  hist->add_option("--format", *hformat, "table or json")->check(CLI::IsMember({"table", "json"}));
  hist->add_option("--db", *db, "Findings database");
  hist->callback([&ctx, hid, htenant, hformat, db] {
    auto st = open_store(*db);
    if (!st) return print_error(st.error()), void(ctx.exit_code = kExitError);
    auto h = (*st)->history(*htenant, *hid);
    if (!h) return print_error(h.error()), void(ctx.exit_code = kExitError);
    const bool json = *hformat == "json" || (hformat->empty() && !is_tty(STDOUT_FILENO));
    for (const auto& e : *h) {
      if (json)
        std::cout << nlohmann::json{{"at", format_rfc3339(e.at)},
                                    {"by", e.by},
                                    {"from", e.from},
                                    {"to", e.to},
                                    {"note", e.note}}
                         .dump()
                  << '\n';
      else
        std::printf("%s  %-16s  %s -> %s  %s\n", format_rfc3339(e.at).c_str(),
                    printable(e.by, 16).c_str(), e.from.c_str(), e.to.c_str(),
                    printable(e.note, 200).c_str());
    }
  });
}

}  // namespace vigil::cli
