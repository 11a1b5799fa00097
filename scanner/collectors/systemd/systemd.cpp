// systemdunitproperty_object / systemdunitdependency_object. OpenSCAP asks systemd over
// D-Bus; a mounted root has no running systemd, so offline both are "not collected"
// (oscap: "DBus connection failed"). Live collection over D-Bus is not implemented yet:
// it reports an error with the reason, which is also what oscap reports on a host
// without a system bus.
#include <unistd.h>

#include "scanner/collectors/registry.h"

namespace vigil::scanner {
namespace {

Collection systemd_flag(CollectContext& ctx) {
  if (ctx.offline())
    return Collection::with_flag(Flag::kNotCollected,
                                 "systemd: no running systemd in an offline root");
  // oscap 1.3.7 online without a system bus: flag error, "DBus connection failed, could not
  // identify systemd units." (docs/oval-semantics.md "systemd without D-Bus").
  if (::access("/run/dbus/system_bus_socket", F_OK) != 0)
    return Collection::with_flag(
        Flag::kError, "systemd: D-Bus connection failed (no system bus), could not identify units");
  return Collection::with_flag(Flag::kError, "systemd: D-Bus collection not implemented");
}

}  // namespace

Collection collect_systemdunitproperty(const ObjectQuery&, CollectContext& ctx) {
  return systemd_flag(ctx);
}
Collection collect_systemdunitdependency(const ObjectQuery&, CollectContext& ctx) {
  return systemd_flag(ctx);
}

}  // namespace vigil::scanner
