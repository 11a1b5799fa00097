// The app-layer analyser interface and registry entry. An analyser is created
// per flow once its probe recognises the content; it receives reassembled,
// in-order stream data (TCP) or datagrams (UDP) per direction and emits events.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "sensor/common/reader.h"
#include "sensor/flow/flow.h"
#include "sensor/output/emitter.h"

namespace vigil::sensor {

class Analyzer {
 public:
  Analyzer(Flow& f, Emitter& out) : flow_(f), out_(out) {}
  virtual ~Analyzer() = default;
  // `data` is valid only during the call.
  virtual void on_data(Dir dir, Bytes data, std::int64_t ts_us) = 0;
  // Bytes missing from the stream: resynchronise (drop partial buffers).
  virtual void on_gap(Dir dir, std::uint64_t len) {}
  // The flow ends: emit what is pending.
  virtual void on_end(std::int64_t ts_us) {}

 protected:
  Counters& counters() { return out_.counters(); }
  Flow& flow_;
  Emitter& out_;
};

struct ProbeInput {
  Dir dir;
  Bytes data;
  std::uint8_t proto;  // kProtoTCP or kProtoUDP
  std::uint16_t client_port;
  std::uint16_t server_port;
};

struct AnalyzerInfo {
  std::string_view name;
  bool tcp, udp;
  // Content first; ports only break ties for protocols without a signature.
  bool (*probe)(const ProbeInput&);
  std::unique_ptr<Analyzer> (*make)(Flow&, Emitter&);
};

// All analysers, in probe order (protocols/analyzer_list.h).
std::span<const AnalyzerInfo* const> analyzers();

}  // namespace vigil::sensor
