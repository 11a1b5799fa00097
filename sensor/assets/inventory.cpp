#include "sensor/assets/inventory.h"

#include <algorithm>
#include <cstdio>

#include "core/util/time.h"
#include "sensor/assets/hints.h"

namespace vigil::sensor::assets {

namespace {

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& obj(const Json& j, const char* key) {
  static const Json kEmpty = Json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::string mac_text(const std::uint8_t m[6]) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                m[5]);
  return buf;
}

// Unspecified, broadcast and multicast addresses are never a host's own.
bool host_address(const IpAddr& a) {
  if (a.len == 4) {
    const std::uint8_t* b = a.b;
    if (!b[0] && !b[1] && !b[2] && !b[3]) return false;
    if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return false;
    return (b[0] & 0xf0) != 0xe0;
  }
  if (a.len == 16) {
    if (a.b[0] == 0xff) return false;
    return std::any_of(a.b, a.b + 16, [](std::uint8_t x) { return x != 0; });
  }
  return false;
}

// The server answered: SYN+ACK (open port; a closed one answers RST), data on a
// stream picked up mid-way, or any UDP reply.
bool answered(const Flow& f) {
  if (f.proto == kProtoUDP) return f.pkts[kToClient] > 0;
  if (f.proto != kProtoTCP) return false;
  const std::uint8_t tc = f.tcp_flags[kToClient];
  if ((tc & (kSyn | kAck)) == (kSyn | kAck)) return true;
  const bool syn_seen = (f.tcp_flags[0] | f.tcp_flags[1]) & kSyn;
  return !syn_seen && f.pkts[kToClient] > 0 && !(tc & kRst);
}

// Protocols that mandate TTL/hop limit 255 whatever the OS (ND, mDNS) say
// nothing about the sender's stack.
bool ttl_meaningful(const Flow& f) {
  if (f.proto == kProtoICMPv6 && f.icmp_type >= 133 && f.icmp_type <= 137) return false;
  return !(f.proto == kProtoUDP && (f.sport == 5353 || f.cport == 5353));
}

std::uint8_t transport_of(const std::string& proto) {
  return proto == "TCP" ? kProtoTCP : proto == "UDP" ? kProtoUDP : 0;
}

template <typename T>
void min_max(T& first, T& last, T f, T l) {
  first = std::min(first, f);
  last = std::max(last, l);
}

}  // namespace

Json AssetStats::to_json() const {
  return Json{{"assets", assets},
              {"services", services},
              {"assets_dropped", assets_dropped},
              {"services_dropped", services_dropped},
              {"names_dropped", names_dropped}};
}

void Inventory::Stamped::offer(const std::string& v, std::int64_t t) {
  if (v.empty()) return;
  if (value.empty() || t > ts || (t == ts && v > value)) {
    value = v;
    ts = t;
  }
}

Inventory::Host* Inventory::host(const std::string& ip) {
  auto it = hosts_.find(ip);
  if (it != hosts_.end()) return &it->second;
  if (hosts_.size() >= limits_.max_assets) {
    ++stats_.assets_dropped;
    return nullptr;
  }
  return &hosts_[ip];
}

Inventory::Service* Inventory::service(const std::string& ip, std::uint8_t proto,
                                       std::uint16_t port) {
  if (!proto) return nullptr;
  SvcKey k{ip, proto, port};
  auto it = services_.find(k);
  if (it != services_.end()) return &it->second;
  if (services_.size() >= limits_.max_services) {
    ++stats_.services_dropped;
    return nullptr;
  }
  return &services_[k];
}

void Inventory::name(std::map<std::string, Names>& table, const std::string& key,
                     const std::string& n, const std::string& source) {
  if (key.empty() || n.empty()) return;
  Names& names = table[key];
  auto it = names.find(n);
  if (it == names.end()) {
    if (name_count_ >= limits_.max_names) {
      ++stats_.names_dropped;
      if (names.empty()) table.erase(key);
      return;
    }
    ++name_count_;
    it = names.emplace(n, std::set<std::string>{}).first;
  }
  it->second.insert(source);
}

void Inventory::os_from_banner(const std::string& ip, const std::string& source,
                               const std::string& banner) {
  auto os = banner_os(banner);
  if (!os) return;
  Host* h = host(ip);
  if (!h) return;
  auto [it, fresh] = h->banner_os.emplace(std::make_pair(source, *os), banner);
  if (!fresh) it->second = std::min(it->second, banner);
}

void Inventory::flow_end(const Flow& f) {
  const bool two_way = f.pkts[kToServer] > 0 && f.pkts[kToClient] > 0;
  struct Side {
    const IpAddr& ip;
    const std::uint8_t* mac;
    bool has_mac;
    std::uint8_t ttl;
  };
  const Side sides[2] = {{f.cli, f.cli_mac, f.has_mac, f.ttl[kToServer]},
                         {f.srv, f.srv_mac, f.has_srv_mac, f.ttl[kToClient]}};
  std::string srv_ip;
  for (int i = 0; i < 2; ++i) {
    const Side& s = sides[i];
    if (!two_way || !host_address(s.ip)) continue;
    const std::string ip = s.ip.str();
    if (i == 1) srv_ip = ip;
    Host* h = host(ip);
    if (!h) continue;
    h->talked = true;
    min_max(h->first, h->last, f.start_us, f.last_us);
    if (ttl_meaningful(f)) {
      Ttl& t = h->ttl[ttl_bucket(s.ttl)];
      ++t.flows;
      t.min = std::min(t.min, s.ttl);
      t.max = std::max(t.max, s.ttl);
    }
    // A MAC is the host's own only without a router (initial TTL) or tunnel between.
    if (s.has_mac && !f.tunnel_depth && is_initial_ttl(s.ttl) && !(s.mac[0] & 1))
      h->mac.offer(mac_text(s.mac), f.start_us);
  }
  if (srv_ip.empty() || !answered(f)) return;
  if (Service* svc = service(srv_ip, f.proto, f.sport)) {
    svc->answered = true;
    min_max(svc->first, svc->last, f.start_us, f.last_us);
    svc->protocol.offer(std::string(f.app_proto), f.start_us);
  }
}

void Inventory::event(const Json& ev) {
  const std::string type = str(ev, "event_type");
  const std::string src = str(ev, "src_ip"), dst = str(ev, "dest_ip");
  const std::uint8_t proto = transport_of(str(ev, "proto"));
  const auto port_it = ev.find("dest_port");
  const std::uint16_t port = port_it != ev.end() && port_it->is_number_integer()
                                 ? static_cast<std::uint16_t>(port_it->get<std::int64_t>())
                                 : 0;
  const std::int64_t ts = parse_rfc3339(str(ev, "timestamp")).value_or(0);
  const Json& body = obj(ev, type.c_str());

  // The server spoke in its own words: the service answered.
  auto spoke = [&](const std::string& banner, const std::string& software,
                   const std::string& os_source) {
    Service* svc = service(dst, proto, port);
    if (!svc) return;
    svc->answered = true;
    min_max(svc->first, svc->last, ts, ts);
    svc->protocol.offer(str(ev, "app_proto"), ts);
    svc->banner.offer(banner, ts);
    svc->software.offer(software, ts);
    if (!os_source.empty()) os_from_banner(dst, os_source, banner);
  };

  if (type == "ssh") {
    const Json& server = obj(body, "server");
    if (!str(server, "banner").empty())
      spoke(str(server, "banner"), str(server, "software_version"), "ssh_banner");
    const std::string client = str(obj(body, "client"), "banner");
    if (!client.empty()) os_from_banner(src, "ssh_client_banner", client);
  } else if (type == "http") {
    if (auto n = host_header_name(str(body, "hostname"))) name(names_by_ip_, dst, *n, "http_host");
    const std::string server = str(body, "server");
    if (body.contains("status")) spoke(server, server, "http_server");
  } else if (type == "tls") {
    if (auto n = clean_hostname(str(body, "sni"))) name(names_by_ip_, dst, *n, "tls_sni");
    if (!str(body, "version").empty()) {
      spoke("", "", "");
      if (Service* svc = service(dst, proto, port)) svc->cert.offer(str(body, "subject"), ts);
    }
  } else if (type == "ftp" || type == "smtp") {
    const std::string banner = str(body, "banner");
    if (!banner.empty()) spoke(banner, banner_product(banner).value_or(""), type + "_banner");
    auto dp = body.find("dynamic_port");
    if (type == "ftp" && dp != body.end() && dp->is_number_integer()) {
      // PORT/EPRT name a client port, 227/229 replies a server port: data
      // channels, not services.
      const std::string cmd = str(body, "command");
      const bool active = cmd == "PORT" || cmd == "EPRT";
      if (ftp_data_.size() < limits_.max_services)
        ftp_data_.emplace(active ? src : dst, static_cast<std::uint16_t>(dp->get<std::int64_t>()));
    }
  } else if (type == "dns") {
    if (str(body, "type") == "answer") {
      spoke("", "", "");
      if (str(body, "rcode") == "NOERROR") dns_answer(body);
    }
  } else if (type == "dhcp") {
    dhcp(body);
  }
}

void Inventory::dns_answer(const Json& dns) {
  auto it = dns.find("answers");
  if (it == dns.end() || !it->is_array()) return;
  // CNAME target -> alias, so "ftp CNAME www; www A x" names x both ways.
  std::multimap<std::string, std::string> alias_of;
  for (const auto& a : *it)
    if (str(a, "rrtype") == "CNAME") {
      auto from = clean_hostname(str(a, "rrname")), to = clean_hostname(str(a, "rdata"));
      if (from && to) alias_of.emplace(*to, *from);
    }
  for (const auto& a : *it) {
    const std::string rrtype = str(a, "rrtype");
    if (rrtype == "A" || rrtype == "AAAA") {
      auto n = clean_hostname(str(a, "rrname"));
      if (!n) continue;
      const std::string ip = str(a, "rdata");
      std::vector<std::string> todo{*n};
      for (std::size_t i = 0; i < todo.size() && i < 8; ++i) {  // bounded chain walk
        name(names_by_ip_, ip, todo[i], "dns");
        auto [b, e] = alias_of.equal_range(todo[i]);
        for (; b != e; ++b) todo.push_back(b->second);
      }
    } else if (rrtype == "PTR") {
      auto ip = reverse_name_ip(str(a, "rrname"));
      auto n = clean_hostname(str(a, "rdata"));
      if (ip && n) name(names_by_ip_, *ip, *n, "dns_ptr");
    }
  }
}

void Inventory::dhcp(const Json& d) {
  const std::string mac = str(d, "client_mac");
  std::string ip;
  for (const char* k : {"assigned_ip", "client_ip", "requested_ip"})
    if (ip.empty() && str(d, k) != "0.0.0.0") ip = str(d, k);
  auto n = clean_hostname(str(d, "hostname"));
  if (n && !ip.empty())
    name(names_by_ip_, ip, *n, "dhcp");
  else if (n)
    name(names_by_mac_, mac, *n, "dhcp");
  if (str(d, "type") == "reply" && !ip.empty() && !mac.empty() &&
      dhcp_mac_.size() < limits_.max_assets)
    dhcp_mac_[ip].offer(mac, 0);
}

void Inventory::merge(const Inventory& o) {
  stats_.assets_dropped += o.stats_.assets_dropped;
  stats_.services_dropped += o.stats_.services_dropped;
  stats_.names_dropped += o.stats_.names_dropped;
  for (const auto& [ip, oh] : o.hosts_) {
    Host* h = host(ip);
    if (!h) continue;
    h->talked = h->talked || oh.talked;
    min_max(h->first, h->last, oh.first, oh.last);
    h->mac.offer(oh.mac.value, oh.mac.ts);
    for (const auto& [bucket, t] : oh.ttl) {
      Ttl& mine = h->ttl[bucket];
      mine.flows += t.flows;
      mine.min = std::min(mine.min, t.min);
      mine.max = std::max(mine.max, t.max);
    }
    for (const auto& [key, evidence] : oh.banner_os) {
      auto [it, fresh] = h->banner_os.emplace(key, evidence);
      if (!fresh) it->second = std::min(it->second, evidence);
    }
  }
  for (const auto& [k, os] : o.services_) {
    Service* s = service(std::get<0>(k), std::get<1>(k), std::get<2>(k));
    if (!s) continue;
    s->answered = s->answered || os.answered;
    min_max(s->first, s->last, os.first, os.last);
    s->protocol.offer(os.protocol.value, os.protocol.ts);
    s->software.offer(os.software.value, os.software.ts);
    s->banner.offer(os.banner.value, os.banner.ts);
    s->cert.offer(os.cert.value, os.cert.ts);
  }
  auto merge_names = [&](std::map<std::string, Names>& mine,
                         const std::map<std::string, Names>& theirs) {
    for (const auto& [key, names] : theirs)
      for (const auto& [n, sources] : names)
        for (const auto& s : sources) name(mine, key, n, s);
  };
  merge_names(names_by_ip_, o.names_by_ip_);
  merge_names(names_by_mac_, o.names_by_mac_);
  for (const auto& [ip, mac] : o.dhcp_mac_) dhcp_mac_[ip].offer(mac.value, mac.ts);
  ftp_data_.insert(o.ftp_data_.begin(), o.ftp_data_.end());
}

std::vector<core::AssetRecord> Inventory::records(const std::string& tenant,
                                                  const std::string& sensor) {
  std::vector<core::AssetRecord> out;
  stats_.assets = stats_.services = 0;
  for (const auto& [ip, h] : hosts_) {
    if (!h.talked) continue;
    core::AssetRecord r;
    r.tenant = tenant;
    r.sensor = sensor;
    r.ip = ip;
    r.first_seen = h.first;
    r.last_seen = h.last;
    r.mac = h.mac.value;
    if (auto d = dhcp_mac_.find(ip); r.mac.empty() && d != dhcp_mac_.end()) r.mac = d->second.value;

    Names names;
    auto add_names = [&](const std::map<std::string, Names>& table, const std::string& key) {
      auto it = table.find(key);
      if (it == table.end()) return;
      for (const auto& [n, sources] : it->second) names[n].insert(sources.begin(), sources.end());
    };
    add_names(names_by_ip_, ip);
    if (!r.mac.empty()) add_names(names_by_mac_, r.mac);
    for (const auto& [n, sources] : names) {
      if (r.hostnames.size() >= core::kMaxAssetHostnames) break;
      r.hostnames.push_back({n, {sources.begin(), sources.end()}});
    }

    for (auto it = services_.lower_bound({ip, 0, 0});
         it != services_.end() && std::get<0>(it->first) == ip; ++it) {
      const auto& [k, s] = *it;
      const std::uint16_t port = std::get<2>(k);
      if (!s.answered || r.services.size() >= core::kMaxAssetServices) continue;
      const bool tcp = std::get<1>(k) == kProtoTCP;
      if (tcp && s.protocol.value.empty() && ftp_data_.count({ip, port})) continue;
      r.services.push_back({port, tcp ? "tcp" : "udp", s.protocol.value, s.software.value,
                            s.banner.value, s.cert.value, s.first, s.last});
    }

    for (const auto& [bucket, t] : h.ttl) {
      std::string seen = std::to_string(t.min);
      if (t.max != t.min) seen += "-" + std::to_string(t.max);
      r.os_hints.push_back({"ttl", std::to_string(bucket),
                            std::string(ttl_os_family(bucket)) + " (TTL " + seen + " in " +
                                std::to_string(t.flows) + " flow" + (t.flows == 1 ? ")" : "s)")});
    }
    for (const auto& [key, evidence] : h.banner_os)
      r.os_hints.push_back({key.first, key.second, evidence});
    std::sort(r.os_hints.begin(), r.os_hints.end(), [](const auto& a, const auto& b) {
      return std::tie(a.source, a.value) < std::tie(b.source, b.value);
    });
    if (r.os_hints.size() > core::kMaxAssetHints) r.os_hints.resize(core::kMaxAssetHints);
    stats_.services += r.services.size();
    out.push_back(std::move(r));
  }
  stats_.assets = out.size();
  return out;
}

}  // namespace vigil::sensor::assets
