// Passive asset inventory state: hosts, services that answered, names and OS
// hints learned from flow ends and analyser events. One Inventory per worker
// (no locking); workers' inventories merge into one at the end of the run
// (collector.h). Every merge is order-independent, so --threads N gives the
// same records as --threads 1. Memory is bounded by AssetLimits; what a full
// table refuses is counted in AssetStats.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/asset/asset_record.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor::assets {

struct AssetLimits {
  std::size_t max_assets = 100'000;    // hosts tracked per worker and per run
  std::size_t max_services = 200'000;  // (ip, transport, port) tracked
  std::size_t max_names = 200'000;     // (ip or MAC, hostname) facts tracked
};

struct AssetStats {
  std::uint64_t assets = 0, services = 0;  // in the output
  std::uint64_t assets_dropped = 0, services_dropped = 0, names_dropped = 0;
  Json to_json() const;
};

class Inventory {
 public:
  explicit Inventory(const AssetLimits& limits) : limits_(limits) {}
  void flow_end(const Flow& f);
  void event(const Json& ev);
  void merge(const Inventory& other);
  // The assets seen talking, sorted by IP text; fills stats() assets/services.
  std::vector<core::AssetRecord> records(const std::string& tenant, const std::string& sensor);
  const AssetStats& stats() const { return stats_; }

 private:
  // A text with the time it was seen; the latest wins, ties go to the larger
  // text, so the result does not depend on the order of offers or merges.
  struct Stamped {
    std::string value;
    std::int64_t ts = 0;
    void offer(const std::string& v, std::int64_t t);
  };
  struct Ttl {
    std::uint64_t flows = 0;
    std::uint8_t min = 255, max = 0;
  };
  struct Host {
    bool talked = false;  // sent packets in a two-way flow
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    Stamped mac;
    std::map<std::uint8_t, Ttl> ttl;  // by initial-TTL bucket
    // (source, OS) -> evidence; the smallest evidence text is kept.
    std::map<std::pair<std::string, std::string>, std::string> banner_os;
  };
  struct Service {
    bool answered = false;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    Stamped protocol, software, banner, cert;
  };
  using SvcKey = std::tuple<std::string, std::uint8_t, std::uint16_t>;  // ip, proto, port
  using Names = std::map<std::string, std::set<std::string>>;           // name -> sources

  Host* host(const std::string& ip);
  Service* service(const std::string& ip, std::uint8_t proto, std::uint16_t port);
  void name(std::map<std::string, Names>& table, const std::string& key, const std::string& n,
            const std::string& source);
  void os_from_banner(const std::string& ip, const std::string& source, const std::string& banner);
  void dns_answer(const Json& dns);
  void dhcp(const Json& d);

  AssetLimits limits_;
  AssetStats stats_;
  std::size_t name_count_ = 0;
  std::map<std::string, Host> hosts_;
  std::map<SvcKey, Service> services_;
  std::map<std::string, Names> names_by_ip_;
  std::map<std::string, Names> names_by_mac_;  // DHCP option 12 before an address is known
  std::map<std::string, Stamped> dhcp_mac_;    // ip -> MAC from a DHCP reply
  std::set<std::pair<std::string, std::uint16_t>> ftp_data_;  // (ip, port) from PORT/PASV
};

}  // namespace vigil::sensor::assets
