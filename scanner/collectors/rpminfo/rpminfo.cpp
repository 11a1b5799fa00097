// rpminfo_object on Debian/Ubuntu: there is no rpm database, and OpenSCAP reports the
// object "not applicable" (verified: oscap 1.3.7, both live and with OSCAP_PROBE_ROOT).
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_rpminfo(const ObjectQuery&, CollectContext&) {
  return Collection::with_flag(Flag::kNotApplicable, "no rpm database on this system");
}

}  // namespace vigil::scanner
