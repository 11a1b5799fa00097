#include "sensor/engine/worker.h"

#include "sensor/protocols/analyzer.h"

namespace vigil::sensor {

Worker::Worker(const SensorConfig& cfg, EventSink& sink, int shard, int shards)
    : cfg_(cfg),
      shard_(std::uint32_t(shard)),
      shards_(std::uint32_t(shards)),
      emitter_(cfg.identity, sink, counters_),
      decoder_(counters_, cfg.defrag),
      reasm_(cfg.stream, counters_, *this),
      flows_(cfg.flow, counters_, [this](Flow& f, EndReason r) { flow_ended(f, r); }) {
  if (cfg_.hooks) hooks_ = cfg_.hooks();
  if (hooks_) emitter_.set_observer([this](const Json& ev) { hooks_->event(ev); });
  emitter_.attach(&cfg_, hooks_.get());
}

Worker::~Worker() = default;

void Worker::process(int dlt, std::int64_t ts_us, Bytes frame, std::uint32_t wirelen,
                     Delivery how) {
  Packet& p = pkt_;
  decoder_.decode(dlt, ts_us, frame, wirelen, p, how != Delivery::kFragmentCopy);
  if (ts_us - last_sweep_us_ >= 1'000'000) {
    flows_.expire(ts_us);
    decoder_.expire(ts_us);
    last_sweep_us_ = ts_us;
  }
  if (p.fragment_held) return;  // counted when the datagram completes
  if (how != Delivery::kShard && !keeps(p, how)) return;
  Dir dir;
  Flow* f = flows_.lookup(p, dir);
  if (!f) return;
  flows_.update(*f, dir, p);
  if (!p.has_l4) return;
  if (p.proto == kProtoTCP)
    reasm_.packet(*f, dir, p);
  else if (p.proto == kProtoUDP && !p.payload.empty())
    app_data(*f, dir, p.payload, ts_us);
}

bool Worker::keeps(const Packet& p, Delivery how) const {
  // The reassembled segment goes to its connection's worker; a fragment the
  // decoder could not use stays with the worker that counted it.
  if (p.defragmented) return p.datagram_hash % shards_ == shard_;
  return how == Delivery::kCountedFragment;
}

void Worker::finish(std::int64_t capture_end_us) {
  flows_.flush_all(capture_end_us);
}

void Worker::app_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) {
  if (!f.app) {
    if (f.app_failed) return;
    ProbeInput in{dir, data, f.proto, f.cport, f.sport};
    for (const AnalyzerInfo* a : analyzers()) {
      if (!(f.proto == kProtoTCP ? a->tcp : a->udp)) continue;
      if (!a->probe(in)) continue;
      f.app_proto = a->name;
      f.app = a->make(f, emitter_);
      counters_.inc(Counter::app_detected);
      break;
    }
    if (!f.app) {
      // A few chances: the first bytes may be a partial segment or the side that
      // does not identify the protocol.
      if (++f.probe_tries >= 6) {
        f.app_failed = true;
        counters_.inc(Counter::app_unknown);
      }
      return;
    }
  }
  f.app->on_data(dir, data, ts_us);
}

void Worker::stream_data(Flow& f, Dir dir, Bytes data, std::int64_t ts_us) {
  if (hooks_) hooks_->stream_data(f, dir, data, f.stream[dir].delivered - data.size(), ts_us);
  app_data(f, dir, data, ts_us);
}

void Worker::stream_gap(Flow& f, Dir dir, std::uint64_t len) {
  if (f.app) f.app->on_gap(dir, len);
}

void Worker::stream_overlap(Flow& f, Dir dir, std::uint64_t offset, std::int64_t ts_us) {
  Json ev = emitter_.begin(f, "anomaly", ts_us);
  ev["anomaly"] = {{"type", "stream"},
                   {"event", "overlap_different_data"},
                   {"direction", dir == kToServer ? "toserver" : "toclient"},
                   {"stream_offset", offset}};
  emitter_.emit(ev);
}

void Worker::flow_ended(Flow& f, EndReason why) {
  if (f.proto == kProtoTCP) reasm_.finish(f, f.last_us);
  if (f.app) f.app->on_end(f.last_us);
  if (!cfg_.emit_flows) {
    if (hooks_) hooks_->flow_end(f);
    return;
  }
  // One per flow: appended in place (`ev[key] = v` searches the keys first).
  Json ev = emitter_.begin(f, "flow", f.start_us);
  Json::object_t& o = ev.get_ref<Json::object_t&>();
  Json fl(Json::value_t::object);
  Json::object_t& flo = fl.get_ref<Json::object_t&>();
  flo.reserve(10);
  flo.emplace_back("pkts_toserver", f.pkts[0]);
  flo.emplace_back("pkts_toclient", f.pkts[1]);
  flo.emplace_back("bytes_toserver", f.bytes[0]);
  flo.emplace_back("bytes_toclient", f.bytes[1]);
  flo.emplace_back("start", format_ts(f.start_us));
  flo.emplace_back("end", format_ts(f.last_us));
  flo.emplace_back("age", (f.last_us - f.start_us) / 1'000'000);
  flo.emplace_back("reason", end_reason_name(why));
  if (f.app_failed) flo.emplace_back("app_proto_detection", "failed");
  o.emplace_back("flow", std::move(fl));
  if (f.proto == kProtoTCP) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto hex = [](std::uint8_t v) { return std::string{kHex[v >> 4], kHex[v & 15]}; };
    std::uint8_t all = f.tcp_flags[0] | f.tcp_flags[1];
    Json t(Json::value_t::object);
    Json::object_t& to = t.get_ref<Json::object_t&>();
    to.reserve(9);
    to.emplace_back("tcp_flags", hex(all));
    to.emplace_back("tcp_flags_ts", hex(f.tcp_flags[0]));
    to.emplace_back("tcp_flags_tc", hex(f.tcp_flags[1]));
    if (all & kSyn) to.emplace_back("syn", true);
    if (all & kFin) to.emplace_back("fin", true);
    if (all & kRst) to.emplace_back("rst", true);
    if (all & kPsh) to.emplace_back("psh", true);
    if (all & kAck) to.emplace_back("ack", true);
    to.emplace_back("state", tcp_state_name(f.state));
    o.emplace_back("tcp", std::move(t));
  } else if (f.proto == kProtoICMP || f.proto == kProtoICMPv6) {
    o.emplace_back("icmp_type", f.icmp_type);
    o.emplace_back("icmp_code", f.icmp_code);
  }
  emitter_.emit(ev);
  if (hooks_) hooks_->flow_end(f);
}

}  // namespace vigil::sensor
