// Findings of one worker (or of the whole run), aggregated by fingerprint:
// the same problem seen in many flows is one finding whose count, first_seen
// and last_seen grow, with a bounded, ordered sample of the flows that showed it.
// Merging is order-independent, so any --threads gives the same output.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/finding/finding.h"
#include "sensor/flow/flow.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor::detect {

// What a finding type is: the contract with the compliance mapper
// (docs/findings-check.md) and the text an analyst reads.
struct FindingKind {
  std::string_view type;
  core::Severity severity;
  std::string_view title;
  std::string_view description;
  std::string_view attack;  // MITRE ATT&CK technique id
  std::string_view cis;     // CIS Controls v8 safeguard
  std::vector<std::string> fingerprint_fields;
};

inline constexpr std::size_t kMaxFlowSamples = 10;

// A finding of `kind` on the asset `ip`, seen at `ts_us`, with `evidence`.
// A "flow_id"/"community_id"/"time" in the evidence seeds the flow sample.
core::Finding make_finding(const FindingKind& kind, const std::string& ip, nlohmann::json evidence,
                           std::int64_t ts_us);

// The flow part of an evidence object, from an event envelope or a flow.
nlohmann::json flow_evidence(const Json& ev);
nlohmann::json flow_evidence(const Flow& f, std::int64_t ts_us);
// An event's capture time (its "timestamp"), 0 when missing.
std::int64_t event_time_us(const Json& ev);
// ev[a][b] as a string, "" when absent or not a string.
std::string str_at(const Json& ev, std::string_view a, std::string_view b = {});

class FindingSet {
 public:
  FindingSet(std::string tenant, std::size_t cap) : tenant_(std::move(tenant)), cap_(cap) {}
  // Returns the finding's id ("" when the cap dropped it).
  std::string add(core::Finding f);
  // Another sighting of finding `id`, from event `ev` (its flow joins the
  // sample): the same result as add() with that event's finding, without
  // building it. False (nothing done) when `id` is not in the set or the
  // sighting is not later than its first one (then add() picks the evidence).
  bool add_again(const std::string& id, const Json& ev, std::int64_t ts_us);
  void merge(FindingSet&& other);
  // Sorted by id: a stable order for the output file.
  std::vector<core::Finding> sorted() const;
  std::size_t size() const { return by_id_.size(); }
  std::uint64_t dropped() const { return dropped_; }
  const std::string& tenant() const { return tenant_; }

 private:
  std::string tenant_;
  std::size_t cap_;
  std::uint64_t dropped_ = 0;
  std::unordered_map<std::string, core::Finding> by_id_;
};

}  // namespace vigil::sensor::detect
