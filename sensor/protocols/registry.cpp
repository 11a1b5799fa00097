// Builds the analyser table from protocols/analyzer_list.h.
#include "sensor/protocols/analyzer.h"

namespace vigil::sensor {

#define VIGIL_ANALYZER(name) extern const AnalyzerInfo kAnalyzer_##name;
#include "sensor/protocols/analyzer_list.h"
#undef VIGIL_ANALYZER

namespace {
const AnalyzerInfo* const kAll[] = {
#define VIGIL_ANALYZER(name) &kAnalyzer_##name,
#include "sensor/protocols/analyzer_list.h"
#undef VIGIL_ANALYZER
};
}  // namespace

std::span<const AnalyzerInfo* const> analyzers() {
  return kAll;
}

}  // namespace vigil::sensor
