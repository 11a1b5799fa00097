// `vigil assets import|list`: the tenant-scoped passive asset inventory
// (`vigil sensor --assets` output, docs/assets.md) in the findings database.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/store_cli.h"
#include "core/store/asset_store.h"
#include "core/util/jsonl.h"
#include "core/util/progress.h"

namespace vigil::cli {
namespace {

Result<std::unique_ptr<store::AssetStore>> open_store(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return store::AssetStore::open(path);
}

int do_import(Context& ctx, const std::vector<std::string>& files, const std::string& tenant,
              const std::string& db_path) {
  std::vector<core::AssetRecord> records;
  for (const auto& file : files) {
    auto reader = JsonLinesReader::open(file);
    if (!reader) return print_error(reader.error()), kExitError;
    nlohmann::json j;
    Error err;
    while (reader->next(j, err)) {
      if (!err.what.empty()) return print_error(err), kExitError;
      auto r = core::asset_from_json(j);
      if (!r)
        return print_error(Error{file + ":" + std::to_string(reader->line()), r.error().what}),
               kExitError;
      records.push_back(std::move(*r));
    }
  }
  auto st = open_store(db_path);
  if (!st) return print_error(st.error()), kExitError;
  auto fresh = (*st)->import(tenant, records);
  if (!fresh) return print_error(fresh.error()), kExitError;
  print_info(ctx, "imported " + std::to_string(records.size()) + " assets for tenant '" + tenant +
                      "' (" + std::to_string(*fresh) + " new, " +
                      std::to_string(records.size() - *fresh) + " updated) into " + db_path);
  return kExitOk;
}

void print_table(const std::vector<core::AssetRecord>& rows) {
  std::printf("%-39s  %-17s  %-32s  %-40s  %-12s  %s\n", "IP", "MAC", "HOSTNAMES", "SERVICES", "OS",
              "LAST SEEN");
  for (const auto& a : rows) {
    std::string names, services, os;
    for (const auto& h : a.hostnames) names += (names.empty() ? "" : ",") + h.name;
    for (const auto& s : a.services)
      services += (services.empty() ? "" : ",") + std::to_string(s.port) + "/" + s.transport +
                  (s.protocol.empty() ? "" : " " + s.protocol);
    for (const auto& h : a.os_hints)
      if (h.source != "ttl" && os.find(h.value) == std::string::npos)
        os += (os.empty() ? "" : ",") + h.value;
    for (const auto& h : a.os_hints)
      if (h.source == "ttl" && os.empty()) os = "ttl " + h.value;
    std::printf("%-39s  %-17s  %-32s  %-40s  %-12s  %s\n", a.ip.c_str(), a.mac.c_str(),
                printable(names, 32).c_str(), printable(services, 40).c_str(),
                printable(os, 12).c_str(),
                format_rfc3339(a.last_seen - a.last_seen % 1000000).c_str());
  }
  std::printf("%zu asset%s\n", rows.size(), rows.size() == 1 ? "" : "s");
}

struct ListOpts {
  std::string tenant, ip, format;
  int service = -1;
};

int do_list(const ListOpts& o, const std::string& db_path) {
  store::AssetFilter f;
  f.tenant = o.tenant;
  if (!o.ip.empty()) {
    f.ip = core::canonical_ip(o.ip);
    if (f.ip.empty()) return print_error("--ip: not an IP address: '" + o.ip + "'"), kExitUsage;
  }
  if (o.service >= 0) f.port = o.service;
  if (!std::filesystem::exists(db_path))
    return print_error(Error{db_path, "no database (import assets first)"}), kExitError;
  auto st = open_store(db_path);
  if (!st) return print_error(st.error()), kExitError;
  auto rows = (*st)->list(f);
  if (!rows) return print_error(rows.error()), kExitError;
  std::string format = o.format;
  if (format.empty()) format = is_tty(STDOUT_FILENO) ? "table" : "json";
  if (format == "table")
    print_table(*rows);
  else
    for (const auto& row : *rows)
      std::cout << core::to_json(row).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
  return kExitOk;
}

}  // namespace

void add_assets(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("assets", "Passive asset inventory per tenant: import, list");
  cmd->require_subcommand(1);
  auto db = std::make_shared<std::string>(default_db());
  cmd->add_option("--db", *db, "Database (default $VIGIL_DB or a per-user path)")
      ->capture_default_str();

  auto* imp = cmd->add_subcommand("import", "Merge assets (vigil sensor --assets) into the store");
  auto files = std::make_shared<std::vector<std::string>>();
  auto tenant = std::make_shared<std::string>();
  imp->add_option("FILE", *files, "Asset file(s), JSON Lines")->required();
  imp->add_option("--tenant", *tenant, "Tenant (client) the assets belong to")
      ->required()
      ->check(kUtf8Text);
  imp->add_option("--db", *db, "Database");
  imp->callback(
      [&ctx, files, tenant, db] { ctx.exit_code = do_import(ctx, *files, *tenant, *db); });

  auto* list = cmd->add_subcommand("list", "List a tenant's assets");
  auto lo = std::make_shared<ListOpts>();
  list->add_option("--tenant", lo->tenant, "Tenant")->required()->check(kUtf8Text);
  list->add_option("--ip", lo->ip, "Only this IP address");
  list->add_option("--service", lo->service, "Only assets offering this port (tcp or udp)")
      ->check(CLI::Range(0, 65535));
  list->add_option("--format", lo->format, "table or json (default: table on a TTY, else json)")
      ->check(CLI::IsMember({"table", "json"}));
  list->add_option("--db", *db, "Database");
  list->callback([&ctx, lo, db] { ctx.exit_code = do_list(*lo, *db); });
}

}  // namespace vigil::cli
