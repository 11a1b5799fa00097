// XCCDF TestResult / ARF writers (see xccdf_xml.h).
#include "compliance/results/xccdf_xml.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "core/util/time.h"

namespace vigil::compliance {

namespace {

std::string fmt_num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string weight_text(double w) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", w);
  return buf;
}

// Copies the xmlns declarations in scope at `from` onto `to` (a node moved to a new document
// loses its ancestors' declarations).
void copy_namespaces(const pugi::xml_node& from, pugi::xml_node to) {
  for (auto p = from; p; p = p.parent())
    for (auto a = p.first_attribute(); a; a = a.next_attribute()) {
      std::string_view n = a.name();
      if ((n == "xmlns" || n.starts_with("xmlns:")) && !to.attribute(a.name()))
        to.append_attribute(a.name()) = a.value();
    }
}

std::string prefix_of(const pugi::xml_node& n) {
  std::string_view q = n.name();
  auto c = q.find(':');
  return c == std::string_view::npos ? std::string() : std::string(q.substr(0, c + 1));
}

std::string user_name() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "uid " + std::to_string(::geteuid());
}

bool is_ipv6(const std::string& ip) {
  return ip.find(':') != std::string::npos;
}

}  // namespace

void append_test_result(pugi::xml_node parent, const Run& run, const std::string& pfx) {
  const Content& c = *run.content;
  const Benchmark& b = c.benchmark();
  const TestResult& tr = *run.result;
  const bool v12 = b.xccdf_ns == kXccdf12Ns;
  auto el = [&](pugi::xml_node p, const char* name) {
    return p.append_child((pfx + name).c_str());
  };
  pugi::xml_node t = el(parent, "TestResult");
  t.append_attribute("id") = tr.id.c_str();
  t.append_attribute("start-time") = format_rfc3339(tr.start - tr.start % 1000000).c_str();
  t.append_attribute("end-time") = format_rfc3339(tr.end - tr.end % 1000000).c_str();
  t.append_attribute("version") = b.version.empty() ? "1" : b.version.c_str();
  t.append_attribute("test-system") = (std::string("cpe:/a:vigil:vigil:") + VIGIL_VERSION).c_str();
  if (v12) {
    auto bm = el(t, "benchmark");
    bm.append_attribute("href") =
        (c.is_datastream() ? "#" + c.xccdf_component_ref() : c.path()).c_str();
    bm.append_attribute("id") = b.id.c_str();
  }
  el(t, "title").text() = "Vigil scan results";
  auto id = el(t, "identity");
  id.append_attribute("authenticated") = "false";
  id.append_attribute("privileged") = ::geteuid() == 0 ? "true" : "false";
  id.text() = user_name().c_str();
  if (!run.policy->profile_id().empty())
    el(t, "profile").append_attribute("idref") = run.policy->profile_id().c_str();
  el(t, "target").text() =
      tr.host.primary().empty() ? tr.target.c_str() : tr.host.primary().c_str();
  for (const auto& ip : tr.host.ips) el(t, "target-address").text() = ip.c_str();
  if (!tr.host.all_hosts) {
    auto facts = el(t, "target-facts");
    auto fact = [&](const char* name, const std::string& v) {
      auto f = el(facts, "fact");
      f.append_attribute("name") = name;
      f.append_attribute("type") = "string";
      f.text() = v.c_str();
    };
    for (const auto& h : tr.host.hostnames) fact("urn:xccdf:fact:asset:identifier:fqdn", h);
    for (const auto& ip : tr.host.ips)
      fact(is_ipv6(ip) ? "urn:xccdf:fact:asset:identifier:ipv6"
                       : "urn:xccdf:fact:asset:identifier:ipv4",
           ip);
    for (const auto& m : tr.host.macs) fact("urn:xccdf:fact:asset:identifier:mac", m);
    for (const auto& hid : tr.host.host_ids) fact("urn:xccdf:fact:asset:identifier:guid", hid);
    if (!facts.first_child()) t.remove_child(facts);
  }
  for (const auto& [vid, v] : tr.set_values) {
    auto sv = el(t, "set-value");
    sv.append_attribute("idref") = vid.c_str();
    sv.text() = v.c_str();
  }
  for (const auto& o : tr.rules) {
    const Rule& r = b.rules.at(o.rule_id);
    auto rr = el(t, "rule-result");
    rr.append_attribute("idref") = o.rule_id.c_str();
    rr.append_attribute("role") = std::string(to_string(o.role)).c_str();
    rr.append_attribute("time") = format_rfc3339(tr.end - tr.end % 1000000).c_str();
    rr.append_attribute("severity") = o.severity.c_str();
    rr.append_attribute("weight") = weight_text(o.weight).c_str();
    el(rr, "result").text() = std::string(to_string(o.result)).c_str();
    for (const auto& i : r.idents) {
      auto x = el(rr, "ident");
      x.append_attribute("system") = i.system.c_str();
      x.text() = i.value.c_str();
    }
    if (!o.message.empty()) {
      auto m = el(rr, "message");
      m.append_attribute("severity") = o.result == RuleResult::kError  ? "error"
                                       : o.result == RuleResult::kFail ? "warning"
                                                                       : "info";
      m.text() = o.message.c_str();
    }
    if (!o.instance.empty()) {
      auto in = el(rr, "instance");
      in.append_attribute("context") = "undefined";
      in.text() = o.instance.c_str();
    }
    if (!o.check_system.empty() && o.check_system != "complex-check" &&
        (!o.check_href.empty() || o.check_system != kFindingsSystem)) {
      auto ck = el(rr, "check");
      ck.append_attribute("system") = o.check_system.c_str();
      for (const auto& ex : o.exports) {
        auto e = el(ck, "check-export");
        e.append_attribute("value-id") = ex.value_id.c_str();
        e.append_attribute("export-name") = ex.export_name.c_str();
      }
      if (!o.check_href.empty()) {
        auto ref = el(ck, "check-content-ref");
        ref.append_attribute("href") = o.check_href.c_str();
        if (!o.check_name.empty()) ref.append_attribute("name") = o.check_name.c_str();
      }
    }
  }
  for (const auto& s : tr.scores) {
    auto sc = el(t, "score");
    sc.append_attribute("system") = s.system.c_str();
    sc.append_attribute("maximum") = fmt_num(s.maximum).c_str();
    sc.text() = fmt_num(s.score).c_str();
  }
}

Status write_xccdf_results(const Run& run, const std::string& path) {
  pugi::xml_document out;
  auto decl = out.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  const pugi::xml_node src = run.content->benchmark_node();
  pugi::xml_node bench = out.append_copy(src);
  copy_namespaces(src, bench);
  append_test_result(bench, run, prefix_of(src));
  if (!out.save_file(path.c_str(), "  ", pugi::format_default, pugi::encoding_utf8))
    return Error{path, "cannot write XCCDF results"};
  return ok_status();
}

Status write_arf(const Run& run, const std::string& path) {
  const Content& c = *run.content;
  const TestResult& tr = *run.result;
  pugi::xml_document out;
  auto decl = out.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto arc = out.append_child("arf:asset-report-collection");
  arc.append_attribute("xmlns:arf") = "http://scap.nist.gov/schema/asset-reporting-format/1.1";
  arc.append_attribute("xmlns:core") = "http://scap.nist.gov/schema/reporting-core/1.1";
  arc.append_attribute("xmlns:ai") = "http://scap.nist.gov/schema/asset-identification/1.1";
  arc.append_attribute("xmlns:arfvocab") =
      "http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#";
  const std::string report_id = "xccdf1", request_id = "collection1", asset_id = "asset0";
  auto rels = arc.append_child("core:relationships");
  auto rel = [&](const char* type, const std::string& ref) {
    auto r = rels.append_child("core:relationship");
    r.append_attribute("type") = type;
    r.append_attribute("subject") = report_id.c_str();
    r.append_child("core:ref").text() = ref.c_str();
  };
  rel("arfvocab:createdFor", request_id);
  rel("arfvocab:isAbout", asset_id);
  auto req = arc.append_child("arf:report-requests").append_child("arf:report-request");
  req.append_attribute("id") = request_id.c_str();
  const pugi::xml_node src_root = c.doc().doc.document_element();
  pugi::xml_node copied = req.append_child("arf:content").append_copy(src_root);
  copy_namespaces(src_root, copied);
  auto asset = arc.append_child("arf:assets").append_child("arf:asset");
  asset.append_attribute("id") = asset_id.c_str();
  auto dev = asset.append_child("ai:computing-device");
  if (!tr.host.ips.empty() || !tr.host.macs.empty()) {
    auto conns = dev.append_child("ai:connections");
    for (const auto& ip : tr.host.ips) {
      auto conn = conns.append_child("ai:connection");
      conn.append_child("ai:ip-address")
          .append_child(is_ipv6(ip) ? "ai:ip-v6" : "ai:ip-v4")
          .text() = ip.c_str();
    }
    for (const auto& m : tr.host.macs) {
      auto conn = conns.append_child("ai:connection");
      conn.append_child("ai:mac-address").text() = m.c_str();
    }
  }
  if (!tr.host.hostnames.empty()) {
    const std::string& h = tr.host.hostnames[0];
    if (h.find('.') != std::string::npos) dev.append_child("ai:fqdn").text() = h.c_str();
    dev.append_child("ai:hostname").text() = h.substr(0, h.find('.')).c_str();
  } else {
    dev.append_child("ai:hostname").text() =
        tr.host.primary().empty() ? tr.target.c_str() : tr.host.primary().c_str();
  }
  auto rep = arc.append_child("arf:reports").append_child("arf:report");
  rep.append_attribute("id") = report_id.c_str();
  auto content = rep.append_child("arf:content");
  // The TestResult in the default namespace of the benchmark's XCCDF version.
  append_test_result(content, run, "");
  content.first_child().prepend_attribute("xmlns") = c.benchmark().xccdf_ns.c_str();
  if (!out.save_file(path.c_str(), "  ", pugi::format_default, pugi::encoding_utf8))
    return Error{path, "cannot write ARF"};
  return ok_status();
}

}  // namespace vigil::compliance
