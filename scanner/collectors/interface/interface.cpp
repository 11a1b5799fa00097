// interface_object: network interfaces of the running system (getifaddrs). Offline the
// object is "not applicable", as OpenSCAP reports it.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>

#include "scanner/collectors/compare.h"
#include "scanner/collectors/registry.h"

namespace vigil::scanner {

Collection collect_interface(const ObjectQuery& q, CollectContext& ctx) {
  if (ctx.offline()) return Collection::with_flag(Flag::kNotApplicable, "interface: offline root");
  const ObjectEntity* name = q.entity("name");
  if (!name) return Collection::with_flag(Flag::kError, "interface_object without name");
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return Collection::with_flag(Flag::kError, "getifaddrs failed");
  Collection c;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6))
      continue;
    if (match_entity(*name, a->ifa_name) != Tri::kTrue) continue;
    char buf[INET6_ADDRSTRLEN] = {};
    bool v4 = a->ifa_addr->sa_family == AF_INET;
    const void* src =
        v4 ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr)
           : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr);
    ::inet_ntop(a->ifa_addr->sa_family, src, buf, sizeof buf);
    Item it;
    it.type = "interface_item";
    it.add("name", a->ifa_name);
    it.add("inet_addr", buf, v4 ? Datatype::kIpv4 : Datatype::kIpv6);
    if (a->ifa_flags & IFF_UP) it.add("flag", "UP");
    if (a->ifa_flags & IFF_BROADCAST) it.add("flag", "BROADCAST");
    if (a->ifa_flags & IFF_LOOPBACK) it.add("flag", "LOOPBACK");
    if (a->ifa_flags & IFF_RUNNING) it.add("flag", "RUNNING");
    if (a->ifa_flags & IFF_PROMISC) it.add("flag", "PROMISC");
    if (a->ifa_flags & IFF_MULTICAST) it.add("flag", "MULTICAST");
    c.items.push_back(std::move(it));
  }
  ::freeifaddrs(list);
  c.flag = c.items.empty() ? Flag::kDoesNotExist : Flag::kComplete;
  return c;
}

}  // namespace vigil::scanner
