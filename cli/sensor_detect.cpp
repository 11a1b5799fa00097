#include "cli/sensor_detect.h"

#include <cstdio>

#include "sensor/detect/detect_config.h"
#include "sensor/engine/config_file.h"

namespace vigil::cli {

Result<std::unique_ptr<SensorDetect>> setup_detect(const std::string& findings,
                                                   const std::string& yara,
                                                   const std::string& yara_depth,
                                                   const std::string& config,
                                                   const std::string& tenant, int threads) {
  if (findings.empty()) {
    if (!yara.empty()) return Error{"", "--yara needs --findings OUT.jsonl"};
    if (!yara_depth.empty()) return Error{"", "--yara-depth needs --findings OUT.jsonl"};
    return std::unique_ptr<SensorDetect>();
  }
  auto d = std::make_unique<SensorDetect>();
  d->out = findings;
  sensor::detect::DetectConfig cfg;
  if (!config.empty())
    if (auto st = sensor::detect::load_detect_config(config, cfg); !st) return st.error();
  if (!yara_depth.empty()) {
    auto n = sensor::parse_size(yara_depth);
    if (!n || *n == 0) return Error{"", "--yara-depth: expected a size (\"64KiB\", \"1MiB\")"};
    cfg.yara.depth = *n;
  }
  if (!yara.empty()) {
    auto r = scanner::yara::Rules::compile(yara);
    if (!r) return r.error();
    d->rules = std::move(r.value());
    cfg.yara.rules = d->rules->raw();
    cfg.yara.strings_required = d->rules->prefilter().strings_required();
  }
  // Fail before the capture runs, not after: the output must be writable.
  if (std::FILE* f = std::fopen(findings.c_str(), "w"))
    std::fclose(f);
  else
    return Error{findings, "cannot write findings"};
  d->engine = std::make_unique<sensor::detect::DetectEngine>(std::move(cfg), tenant, threads);
  return d;
}

Status finish_detect(SensorDetect& d, sensor::Json& stats) {
  std::FILE* f = std::fopen(d.out.c_str(), "w");
  if (!f) return Error{d.out, "cannot write findings"};
  for (const core::Finding& fd : d.engine->findings()) {
    std::string line = core::to_json(fd).dump() + "\n";
    std::fwrite(line.data(), 1, line.size(), f);
  }
  bool ok = std::fflush(f) == 0;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Error{d.out, "write error"};
  stats["detect"] = d.engine->stats();
  return ok_status();
}

}  // namespace vigil::cli
