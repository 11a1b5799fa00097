// Flow table: bidirectional lookup, TCP state, per-state timeouts and a hard cap
// (the least recently active flow is evicted and counted). Ending a flow calls
// back into the engine, which flushes analysers and writes the `flow` event.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>

#include "sensor/common/counters.h"
#include "sensor/flow/flow.h"

namespace vigil::sensor {

struct FlowConfig {
  std::size_t max_flows = 1'000'000;
  bool vlan_in_key = true;
  std::int64_t tcp_new_timeout_us = 60'000'000;
  std::int64_t tcp_est_timeout_us = 3600'000'000LL;
  std::int64_t tcp_closed_timeout_us = 10'000'000;
  std::int64_t udp_timeout_us = 120'000'000;
  std::int64_t other_timeout_us = 60'000'000;
};

enum class EndReason : std::uint8_t { kTimeout, kEvicted, kShutdown };
std::string_view end_reason_name(EndReason r);

class FlowTable {
 public:
  using EndFn = std::function<void(Flow&, EndReason)>;
  FlowTable(const FlowConfig& cfg, Counters& c, EndFn on_end);
  ~FlowTable();

  // Finds or creates the flow for `p` and sets `dir`. Returns nullptr for
  // packets without an IP layer.
  Flow* lookup(const Packet& p, Dir& dir);
  // Counts the packet and advances TCP state.
  void update(Flow& f, Dir dir, const Packet& p);
  // Ends flows idle past their timeout (called about once per second of capture time).
  void expire(std::int64_t now_us);
  // Ends every flow; the reason is "timeout" when the flow would have timed out by
  // `capture_end_us` (so the answer does not depend on sharding), else "shutdown".
  void flush_all(std::int64_t capture_end_us);
  std::size_t size() const { return map_.size(); }
  std::int64_t timeout_of(const Flow& f) const;

 private:
  void end(Flow* f, EndReason why);
  void lru_unlink(Flow* f);
  void lru_push(Flow* f);

  FlowConfig cfg_;
  Counters& c_;
  EndFn on_end_;
  std::unordered_map<FlowKey, std::unique_ptr<Flow>, FlowKeyHash> map_;
  Flow* head_ = nullptr;
  Flow* tail_ = nullptr;
  Flow* last_ = nullptr;  // the flow of the previous packet (runs of one flow)
};

}  // namespace vigil::sensor
