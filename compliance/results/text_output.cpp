// Text output (see text_output.h).
#include "compliance/results/text_output.h"

namespace vigil::compliance {

std::string printable(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (unsigned char c : s) o.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
  return o;
}

void print_eval(std::FILE* out, const EvalSession& s, bool quiet) {
  const Benchmark& b = s.content->benchmark();
  if (!quiet) {
    for (const auto& o : s.result.rules) {
      if (o.result == RuleResult::kNotSelected) continue;
      const Rule& r = b.rules.at(o.rule_id);
      std::fprintf(out, "Title\t%s\n", printable(r.title).c_str());
      std::fprintf(out, "Rule\t%s\n", o.rule_id.c_str());
      for (const auto& i : r.idents) std::fprintf(out, "Ident\t%s\n", printable(i.value).c_str());
      if (!o.instance.empty()) std::fprintf(out, "Instance\t%s\n", printable(o.instance).c_str());
      std::fprintf(out, "Result\t%s\n", std::string(to_string(o.result)).c_str());
      if (!o.message.empty() && o.result != RuleResult::kPass)
        std::fprintf(out, "Reason\t%s\n", printable(o.message).c_str());
      std::fprintf(out, "\n");
    }
  }
  for (std::size_t i = 0; i < s.result.scores.size(); ++i) {
    const Score& sc = s.result.scores[i];
    std::fprintf(out, "Score\t%s\t%.6f\t%.6f", sc.system.c_str(), sc.score, sc.maximum);
    if (i < s.openscap_scores.size() &&
        (s.openscap_scores[i].score != sc.score || s.openscap_scores[i].maximum != sc.maximum))
      std::fprintf(out, "\t(oscap 1.3 would report %.6f/%.6f, see docs/scoring.md)",
                   s.openscap_scores[i].score, s.openscap_scores[i].maximum);
    std::fprintf(out, "\n");
  }
}

}  // namespace vigil::compliance
