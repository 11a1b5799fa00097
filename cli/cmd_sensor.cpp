// `vigil sensor`: passive network sensor on a capture file (-r) or a live
// interface (-i). Events as JSON Lines, stats as JSON; see docs/events.md.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <memory>

#include "cli/command.h"
#include "cli/sensor_detect.h"
#include "core/util/progress.h"
#include "sensor/assets/collector.h"
#include "sensor/engine/config_file.h"
#include "sensor/engine/runner.h"

namespace vigil::cli {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_print_stats{false};

extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}
extern "C" void on_usr1_signal(int) {
  g_print_stats.store(true);
}

struct SensorArgs {
  std::string read, iface, bpf, tenant = "default", sensor_name, events, stats, config;
  std::string user = "nobody", rotate;
  int threads = 1;
  std::string findings, yara, yara_depth;  // detections (cli/sensor_detect.h)
  std::string assets;  // --assets OUT.jsonl (passive asset inventory, docs/assets.md)
  sensor::assets::AssetLimits asset_limits;
  int snaplen = 262144;
  int buffer_mb = 64;
};

int run(const SensorArgs& a, const Context& ctx) {
  using namespace vigil::sensor;
  SensorConfig cfg;
  if (!a.config.empty()) {
    if (auto st = load_config_file(a.config, cfg); !st) {
      print_error(st.error());
      return kExitError;
    }
  }
  cfg.identity.tenant = a.tenant;
  cfg.identity.sensor_name = a.sensor_name;
  if (cfg.identity.sensor_name.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    cfg.identity.sensor_name = host;
  }
  auto detect = setup_detect(a.findings, a.yara, a.yara_depth, a.config, a.tenant, a.threads);
  if (!detect) {
    print_error(detect.error());
    return kExitError;
  }

  RunOptions opt;
  opt.read_file = a.read;
  opt.iface = a.iface;
  opt.bpf = a.bpf;
  opt.threads = a.threads;
  opt.live.user = a.user;
  opt.live.snaplen = a.snaplen;
  opt.live.buffer_mb = a.buffer_mb;

  // An empty file has no pcap header; it is an empty capture, not an error.
  if (!a.read.empty()) {
    struct stat st {};
    if (stat(a.read.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
      if (!ctx.quiet)
        std::fprintf(stderr, "vigil sensor: %s: empty file, 0 packets\n", a.read.c_str());
      if (!a.stats.empty()) {
        RunStats empty;
        std::ofstream(a.stats) << empty.to_json().dump(2) << "\n";
      }
      if (!a.events.empty() && a.events != "-") std::ofstream(a.events).flush();
      if (!a.assets.empty()) std::ofstream(a.assets).flush();
      return kExitOk;
    }
  }

  // Without --events nothing is written; a sink that drops keeps memory flat.
  struct NullSink : EventSink {
    void write(const Json&) override {}
  };
  std::unique_ptr<EventSink> sink;
  if (a.events.empty()) {
    sink = std::make_unique<NullSink>();
  } else {
    auto s = JsonlSink::open(a.events);
    if (!s) {
      print_error(s.error());
      return kExitError;
    }
    if (!a.rotate.empty()) {
      if (a.iface.empty()) {
        print_error("--rotate: only for live capture (-i)");
        return kExitUsage;
      }
      std::uint64_t bytes = 0;
      std::int64_t secs = 0;
      if (auto d = parse_duration(a.rotate); d)
        secs = *d;
      else if (auto b = parse_size(a.rotate); b)
        bytes = *b;
      else {
        print_error("--rotate: expected a size (100MB) or a duration (1h)");
        return kExitUsage;
      }
      s.value()->set_rotation(bytes, secs);
    }
    sink = std::move(s.value());
  }
  std::unique_ptr<vigil::Progress> bar;
  if (!a.read.empty()) {
    struct stat st {};
    std::uint64_t size = stat(a.read.c_str(), &st) == 0 ? std::uint64_t(st.st_size) : 0;
    bar = std::make_unique<vigil::Progress>("sensor", size, ctx.quiet);
    opt.progress = [&](std::uint64_t done, std::uint64_t) { bar->update(done); };
  } else {
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGUSR1, on_usr1_signal);
    opt.stop = &g_stop;
    opt.print_stats = &g_print_stats;
  }

  // Opened before the run: live mode drops root once the capture is open.
  std::unique_ptr<std::ofstream> stats_out;
  if (!a.stats.empty()) {
    stats_out = std::make_unique<std::ofstream>(a.stats);
    if (!*stats_out) {
      print_error(a.stats + ": cannot write stats");
      return kExitError;
    }
  }

  std::unique_ptr<assets::AssetCollector> inventory;
  if (!a.assets.empty()) {
    inventory = std::make_unique<assets::AssetCollector>(a.asset_limits);
    cfg.hooks = compose_hooks({cfg.hooks, inventory->hooks()});
  }
  if (*detect) cfg.hooks = compose_hooks({cfg.hooks, (*detect)->engine->hooks()});
  auto r = run_sensor(opt, cfg, *sink);
  if (bar) bar->finish();
  sink->flush();
  if (!r) {
    print_error(r.error());
    return kExitError;
  }
  if (!ctx.quiet) std::fputs(r->summary().c_str(), stderr);
  Json stats_json = r->to_json();
  if (inventory) {
    auto recs = inventory->records(cfg.identity.tenant, cfg.identity.sensor_name);
    if (auto w = assets::write_assets_jsonl(a.assets, recs); !w) {
      print_error(w.error());
      return kExitError;
    }
    stats_json["assets"] = inventory->stats().to_json();
  }
  if (*detect)
    if (auto w = finish_detect(**detect, stats_json); !w) {
      print_error(w.error());
      return kExitError;
    }
  if (stats_out) *stats_out << stats_json.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void add_sensor(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SensorArgs>();
  CLI::App* cmd = app.add_subcommand("sensor", "Passive network sensor: flows and protocol events");
  auto* r = cmd->add_option("-r,--read", args->read, "Read packets from a pcap/pcapng file");
  auto* i = cmd->add_option("-i,--interface", args->iface, "Capture live from an interface");
  r->excludes(i);
  cmd->add_option("--bpf", args->bpf, "BPF filter expression");
  cmd->add_option("--tenant", args->tenant, "Tenant (client) these events belong to")
      ->check(kUtf8Text);
  cmd->add_option("--sensor-name", args->sensor_name, "Sensor name in events (default: hostname)");
  cmd->add_option("--events", args->events, "Write events as JSON Lines ('-' = stdout)");
  cmd->add_option("--stats", args->stats, "Write run statistics as JSON");
  cmd->add_option("--threads", args->threads, "Worker threads (flows sharded by symmetric hash)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--config", args->config, "Config file (JSON, \"sensor\" object)");
  cmd->add_option("--assets", args->assets, "Write the passive asset inventory (JSON Lines)");
  cmd->add_option("--assets-max", args->asset_limits.max_assets, "Asset inventory: hosts cap")
      ->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--assets-max-services", args->asset_limits.max_services,
                  "Asset inventory: services cap")
      ->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--findings", args->findings, "Run the detections; findings as JSON Lines");
  cmd->add_option("--yara", args->yara, "YARA rules file or directory for --findings");
  cmd->add_option("--yara-depth", args->yara_depth,
                  std::string("YARA: bytes scanned per flow direction and HTTP body (default ") +
                      sensor::detect::kDefaultYaraDepthText + ")");
  cmd->add_option("--user", args->user, "Live mode: drop root to this user after opening");
  cmd->add_option("--rotate", args->rotate,
                  "Live mode: rotate --events by size (100MB) or time (1h)");
  cmd->add_option("--snaplen", args->snaplen, "Live mode: snapshot length")
      ->check(CLI::Range(64, 262144));
  cmd->add_option("--buffer-mb", args->buffer_mb, "Live mode: kernel buffer size in MiB")
      ->check(CLI::Range(1, 4096));
  cmd->callback([args, &ctx, cmd] {
    if (args->read.empty() && args->iface.empty()) {
      print_error("sensor: one of -r FILE or -i IFACE is required");
      ctx.exit_code = kExitUsage;
      return;
    }
    ctx.exit_code = run(*args, ctx);
  });
}

}  // namespace vigil::cli
