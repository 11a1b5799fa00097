#include "sensor/flow/flow_table.h"

#include <cstring>

namespace vigil::sensor {

std::string_view end_reason_name(EndReason r) {
  switch (r) {
    case EndReason::kTimeout:
      return "timeout";
    case EndReason::kEvicted:
      return "evicted";
    case EndReason::kShutdown:
      return "shutdown";
  }
  return "shutdown";
}

FlowTable::FlowTable(const FlowConfig& cfg, Counters& c, EndFn on_end)
    : cfg_(cfg), c_(c), on_end_(std::move(on_end)) {
  map_.reserve(std::min<std::size_t>(cfg_.max_flows, 65536));
}

FlowTable::~FlowTable() = default;

void FlowTable::lru_unlink(Flow* f) {
  (f->lru_prev ? f->lru_prev->lru_next : head_) = f->lru_next;
  (f->lru_next ? f->lru_next->lru_prev : tail_) = f->lru_prev;
  f->lru_prev = f->lru_next = nullptr;
}

void FlowTable::lru_push(Flow* f) {
  f->lru_prev = tail_;
  f->lru_next = nullptr;
  (tail_ ? tail_->lru_next : head_) = f;
  tail_ = f;
}

std::int64_t FlowTable::timeout_of(const Flow& f) const {
  switch (f.proto) {
    case kProtoTCP:
      if (f.state == TcpState::kClosed) return cfg_.tcp_closed_timeout_us;
      if (f.state == TcpState::kEstablished || f.state == TcpState::kClosing)
        return cfg_.tcp_est_timeout_us;
      return cfg_.tcp_new_timeout_us;
    case kProtoUDP:
      return cfg_.udp_timeout_us;
    default:
      return cfg_.other_timeout_us;
  }
}

void FlowTable::end(Flow* f, EndReason why) {
  lru_unlink(f);
  if (why == EndReason::kEvicted) c_.inc(Counter::flows_evicted);
  if (why == EndReason::kTimeout) c_.inc(Counter::flows_timeout);
  c_.inc(Counter::flows_ended);
  on_end_(*f, why);
  if (last_ == f) last_ = nullptr;
  map_.erase(f->key);  // destroys f
}

Flow* FlowTable::lookup(const Packet& p, Dir& dir) {
  if (!p.ip_version) return nullptr;
  // ICMP flows are keyed without type/code so a request and its reply are one flow.
  bool ports = p.has_l4 && (p.proto == kProtoTCP || p.proto == kProtoUDP);
  std::uint16_t sp = ports ? p.sport : 0, dp = ports ? p.dport : 0;
  FlowKey k;
  bool src_low = compare_endpoint(p.src, sp, p.dst, dp) <= 0;
  const IpAddr& lo = src_low ? p.src : p.dst;
  const IpAddr& hi = src_low ? p.dst : p.src;
  std::memcpy(k.a, lo.b, lo.len);
  std::memcpy(k.b, hi.b, hi.len);
  k.pa = src_low ? sp : dp;
  k.pb = src_low ? dp : sp;
  k.alen = p.src.len;
  k.proto = p.proto;
  if (cfg_.vlan_in_key && p.vlan_count) k.vlan = p.vlan[p.vlan_count > 1 ? 1 : 0];

  // Packets come in runs of one flow (a transfer): the last flow found is
  // checked before the hash table.
  Flow* found = last_ && last_->key == k ? last_ : nullptr;
  if (!found) {
    auto it = map_.find(k);
    if (it != map_.end()) found = it->second.get();
  }
  if (found) {
    Flow* f = found;
    // Checked here, not only in the sweep, so a reused 5-tuple starts a new flow
    // at the same packet whatever the sweep timing (identical across --threads).
    if (p.ts_us - f->last_us > timeout_of(*f)) {
      end(f, EndReason::kTimeout);
    } else {
      dir = (f->cli == p.src && f->cport == sp && f->proto == p.proto) ? kToServer : kToClient;
      if (f->cli == f->srv && f->cport == f->sport) dir = kToServer;
      last_ = f;
      return f;
    }
  }
  if (map_.size() >= cfg_.max_flows && head_) end(head_, EndReason::kEvicted);

  auto owned = std::make_unique<Flow>();
  Flow* f = owned.get();
  f->key = k;
  // A SYN+ACK seen first means we missed the SYN: the sender is the server.
  bool reversed =
      p.proto == kProtoTCP && p.has_l4 && (p.tcp_flags & (kSyn | kAck)) == (kSyn | kAck);
  f->cli = reversed ? p.dst : p.src;
  f->srv = reversed ? p.src : p.dst;
  f->cport = reversed ? dp : sp;
  f->sport = reversed ? sp : dp;
  f->proto = p.proto;
  f->vlan[0] = p.vlan[0];
  f->vlan[1] = p.vlan[1];
  f->vlan_count = std::min<std::uint8_t>(p.vlan_count, 2);
  f->icmp_type = p.icmp_type;
  f->icmp_code = p.icmp_code;
  f->tunnel_depth = p.tunnel_depth;
  if (p.has_mac && !reversed) {
    std::memcpy(f->cli_mac, p.src_mac, 6);
    f->has_mac = true;
  }
  f->start_us = f->last_us = p.ts_us;
  f->id = FlowKeyHash{}(k) ^ (std::uint64_t(p.ts_us) * 0x9e3779b97f4a7c15ULL);
  f->id &= 0x7fffffffffffffffULL;  // positive in JSON consumers with int64
  if (p.proto == kProtoTCP) f->state = TcpState::kSynSent;
  map_.emplace(k, std::move(owned));
  lru_push(f);
  c_.inc(Counter::flows_created);
  dir = reversed ? kToClient : kToServer;
  last_ = f;
  return f;
}

void FlowTable::update(Flow& f, Dir dir, const Packet& p) {
  f.pkts[dir]++;
  f.bytes[dir] += p.wirelen;
  f.last_us = std::max(f.last_us, p.ts_us);
  if (f.pkts[dir] == 1) {  // first packet this way: what the asset inventory needs
    f.ttl[dir] = p.ttl;
    if (p.has_mac && dir == kToClient) {
      std::memcpy(f.srv_mac, p.src_mac, 6);
      f.has_srv_mac = true;
    } else if (p.has_mac && !f.has_mac) {
      std::memcpy(f.cli_mac, p.src_mac, 6);
      f.has_mac = true;
    }
  }
  if (f.lru_next) {  // move to the tail (most recent)
    lru_unlink(&f);
    lru_push(&f);
  }
  if (f.proto != kProtoTCP || !p.has_l4) return;
  std::uint8_t fl = p.tcp_flags;
  f.tcp_flags[dir] |= fl;
  if (fl & kRst) {
    f.state = TcpState::kClosed;
    return;
  }
  switch (f.state) {
    case TcpState::kSynSent:
      if ((fl & (kSyn | kAck)) == (kSyn | kAck))
        f.state = TcpState::kSynRecv;
      else if (!(fl & kSyn))
        f.state = TcpState::kEstablished;  // mid-stream pickup
      break;
    case TcpState::kSynRecv:
      if ((fl & kAck) && !(fl & kSyn) && dir == kToServer) f.state = TcpState::kEstablished;
      break;
    default:
      break;
  }
  if (fl & kFin) {
    bool both = (f.tcp_flags[0] & kFin) && (f.tcp_flags[1] & kFin);
    f.state = both ? TcpState::kClosed : TcpState::kClosing;
  }
}

void FlowTable::expire(std::int64_t now_us) {
  // Oldest first; stop at the first flow younger than the shortest timeout.
  std::int64_t min_to = std::min({cfg_.tcp_closed_timeout_us, cfg_.tcp_new_timeout_us,
                                  cfg_.udp_timeout_us, cfg_.other_timeout_us});
  Flow* f = head_;
  while (f && now_us - f->last_us > min_to) {
    Flow* next = f->lru_next;
    if (now_us - f->last_us > timeout_of(*f)) end(f, EndReason::kTimeout);
    f = next;
  }
}

void FlowTable::flush_all(std::int64_t capture_end_us) {
  while (head_) {
    Flow* f = head_;
    end(f,
        capture_end_us - f->last_us > timeout_of(*f) ? EndReason::kTimeout : EndReason::kShutdown);
  }
}

}  // namespace vigil::sensor
