// Community ID v1 against the published vectors (corelight/community-id-spec,
// also used by Zeek's community_id_v1 tests).
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include "sensor/flow/community_id.h"

using namespace vigil::sensor;

static IpAddr ip(const char* text) {
  IpAddr a;
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, text, buf) == 1)
    a.set(Bytes(buf, 4));
  else if (inet_pton(AF_INET6, text, buf) == 1)
    a.set(Bytes(buf, 16));
  return a;
}

TEST_CASE("community id v1 published vectors, seed 0", "[sensor][community_id]") {
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 6, 1122, 3344) ==
        "1:wCb3OG7yAFWelaUydu0D+125CLM=");
  CHECK(community_id_v1(ip("5.6.7.8"), ip("1.2.3.4"), 6, 3344, 1122) ==
        "1:wCb3OG7yAFWelaUydu0D+125CLM=");
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 17, 1122, 3344) ==
        "1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 1, 8, 0) == "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
  // The echo reply maps back onto the request's ID.
  CHECK(community_id_v1(ip("5.6.7.8"), ip("1.2.3.4"), 1, 0, 0) == "1:crodRHL2FEsHjbv3UkRrfbs4bZ0=");
  CHECK(community_id_v1(ip("fe80:1:203:405:607:809:a0b:c0d"),
                        ip("fe80:1011:1213:1415:1617:1819:1a1b:1c1d"), 58, 128,
                        0) == "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=");
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 46, 0, 0) ==
        "1:ikv3kmf89luf73WPz1jOs49S768=");
}

TEST_CASE("community id v1 published vectors, seed 1", "[sensor][community_id]") {
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 6, 1122, 3344, 1) ==
        "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 17, 1122, 3344, 1) ==
        "1:OShq+iKDAMVouh/4bMxB9Sz4amw=");
  CHECK(community_id_v1(ip("1.2.3.4"), ip("5.6.7.8"), 1, 8, 0, 1) ==
        "1:9pr4ZGTICiuZoIh90RRYE2RyXpU=");
  CHECK(community_id_v1(ip("fe80:1:203:405:607:809:a0b:c0d"),
                        ip("fe80:1011:1213:1415:1617:1819:1a1b:1c1d"), 58, 128, 0,
                        1) == "1:IO27GQzPuCtNnwFvjWALMHu5tJE=");
}
