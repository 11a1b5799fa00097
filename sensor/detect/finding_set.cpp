#include "sensor/detect/finding_set.h"

#include <algorithm>

#include "sensor/output/emitter.h"

namespace vigil::sensor::detect {

namespace {

// A flow sample's order: time, then flow id (views, nothing copied).
std::pair<std::string_view, std::uint64_t> sample_key(const nlohmann::json& j) {
  auto t = j.find("time");
  auto id = j.find("flow_id");
  return {t != j.end() && t->is_string() ? std::string_view(t->get_ref<const std::string&>())
                                         : std::string_view(),
          id != j.end() && id->is_number() ? id->get<std::uint64_t>() : 0};
}

// Earliest first, then by flow id: the same sample whatever the merge order.
// `into` is kept sorted and trimmed, so a sighting later than every sample of
// a full list changes nothing and costs no copy (the common repeat case).
void merge_flows(nlohmann::json& into, const nlohmann::json& more) {
  if (!more.is_array()) return;
  if (!into.is_array()) into = nlohmann::json::array();
  bool added = false;
  for (const auto& m : more) {
    if (into.size() >= kMaxFlowSamples && !(sample_key(m) < sample_key(into.back()))) continue;
    into.push_back(m);
    added = true;
  }
  if (!added) return;
  std::sort(into.begin(), into.end(),
            [](const auto& a, const auto& b) { return sample_key(a) < sample_key(b); });
  into.erase(std::unique(into.begin(), into.end()), into.end());
  if (into.size() > kMaxFlowSamples) into.erase(into.begin() + kMaxFlowSamples, into.end());
}

}  // namespace

core::Finding make_finding(const FindingKind& kind, const std::string& ip, nlohmann::json evidence,
                           std::int64_t ts_us) {
  core::Finding f;
  f.source = core::Source::sensor;
  f.type = kind.type;
  f.severity = kind.severity;
  f.title = kind.title;
  f.description = kind.description;
  f.asset.ip = ip;
  f.fingerprint_fields = kind.fingerprint_fields;
  if (!kind.attack.empty()) f.references.push_back({"mitre-attack", std::string(kind.attack)});
  if (!kind.cis.empty()) f.references.push_back({"cis-controls-v8", std::string(kind.cis)});
  if (evidence.contains("flow_id")) {
    nlohmann::json sample = {{"flow_id", evidence["flow_id"]},
                             {"community_id", evidence.value("community_id", "")},
                             {"time", evidence.value("time", "")}};
    evidence["flows"] = nlohmann::json::array({sample});
  }
  f.evidence = std::move(evidence);
  f.first_seen = f.last_seen = ts_us;
  return f;
}

nlohmann::json flow_evidence(const Json& ev) {
  nlohmann::json j;
  for (const char* k : {"flow_id", "community_id", "src_ip", "src_port", "dest_ip", "dest_port",
                        "proto", "app_proto", "vlan"}) {
    auto it = ev.find(k);
    if (it != ev.end()) j[k] = nlohmann::json(*it);
  }
  j["time"] = ev.value("timestamp", "");
  return j;
}

nlohmann::json flow_evidence(const Flow& f, std::int64_t ts_us) {
  nlohmann::json j;
  j["flow_id"] = f.id;
  j["community_id"] = flow_community_id(f);
  j["src_ip"] = f.cli.str();
  j["dest_ip"] = f.srv.str();
  if (f.proto == kProtoTCP || f.proto == kProtoUDP) {
    j["src_port"] = f.cport;
    j["dest_port"] = f.sport;
  }
  j["proto"] = std::string(proto_name(f.proto));
  if (!f.app_proto.empty()) j["app_proto"] = std::string(f.app_proto);
  j["time"] = format_ts(ts_us);
  return j;
}

std::int64_t event_time_us(const Json& ev) {
  auto it = ev.find("timestamp");
  if (it == ev.end() || !it->is_string()) return 0;
  return parse_rfc3339(it->get_ref<const std::string&>()).value_or(0);
}

std::string str_at(const Json& ev, std::string_view a, std::string_view b) {
  auto it = ev.find(a);
  if (it == ev.end()) return {};
  if (!b.empty()) {
    if (!it->is_object()) return {};
    auto jt = it->find(b);
    if (jt == it->end()) return {};
    it = jt;
  }
  return it->is_string() ? it->get<std::string>() : std::string();
}

std::string FindingSet::add(core::Finding f) {
  f.tenant = tenant_;
  f.id = core::fingerprint(f);
  std::string id = f.id;
  auto it = by_id_.find(f.id);
  if (it == by_id_.end()) {
    if (by_id_.size() >= cap_) {
      ++dropped_;
      return {};
    }
    by_id_.emplace(id, std::move(f));
    return id;
  }
  core::Finding& a = it->second;
  // The earliest sighting's evidence wins; ties broken by content (not by
  // which worker merged first).
  auto primary = [](nlohmann::json e) {
    e.erase("flows");
    return e.dump();
  };
  bool newer_first = f.first_seen < a.first_seen ||
                     (f.first_seen == a.first_seen && primary(f.evidence) < primary(a.evidence));
  if (newer_first) {
    nlohmann::json flows = a.evidence.value("flows", nlohmann::json::array());
    merge_flows(flows, f.evidence.value("flows", nlohmann::json::array()));
    a.evidence = std::move(f.evidence);
    a.title = f.title;
    a.description = f.description;
    if (!flows.empty()) a.evidence["flows"] = std::move(flows);
  } else if (auto m = f.evidence.find("flows"); m != f.evidence.end() && !m->empty()) {
    merge_flows(a.evidence["flows"], *m);  // in place: usually nothing to do
  }
  a.severity = std::max(a.severity, f.severity);
  a.count += f.count;
  a.first_seen = std::min(a.first_seen, f.first_seen);
  a.last_seen = std::max(a.last_seen, f.last_seen);
  return id;
}

bool FindingSet::add_again(const std::string& id, const Json& ev, std::int64_t ts_us) {
  auto it = by_id_.find(id);
  if (it == by_id_.end() || ts_us <= it->second.first_seen) return false;
  core::Finding& a = it->second;
  ++a.count;
  a.last_seen = std::max(a.last_seen, ts_us);
  // The sample make_finding() would take from flow_evidence(ev).
  if (auto fid = ev.find("flow_id"); fid != ev.end()) {
    nlohmann::json sample = {{"flow_id", nlohmann::json(*fid)},
                             {"community_id", ev.value("community_id", "")},
                             {"time", ev.value("timestamp", "")}};
    merge_flows(a.evidence["flows"], nlohmann::json::array({std::move(sample)}));
  }
  return true;
}

void FindingSet::merge(FindingSet&& other) {
  for (auto& [id, f] : other.by_id_) add(std::move(f));
  dropped_ += other.dropped_;
  other.by_id_.clear();
}

std::vector<core::Finding> FindingSet::sorted() const {
  std::vector<core::Finding> out;
  out.reserve(by_id_.size());
  for (const auto& [id, f] : by_id_) out.push_back(f);
  std::sort(out.begin(), out.end(),
            [](const core::Finding& a, const core::Finding& b) { return a.id < b.id; });
  return out;
}

}  // namespace vigil::sensor::detect
