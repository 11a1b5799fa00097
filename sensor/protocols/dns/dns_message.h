// DNS wire format (RFC 1035) parsing: header, questions, answer records, with
// compression pointers followed under a jump limit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sensor/common/reader.h"

namespace vigil::sensor::dns {

struct Question {
  std::string name;
  std::uint16_t type = 0;
};
struct Record {
  std::string name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string rdata;  // text form (address, name, "10 mail.example.test", ...)
};
struct Message {
  std::uint16_t id = 0;
  bool response = false;
  std::uint8_t opcode = 0, rcode = 0;
  bool aa = false, tc = false, rd = false, ra = false;
  std::vector<Question> questions;
  std::vector<Record> answers;
};

// False when the message is malformed (what was parsed before the error is kept).
bool parse(Bytes msg, Message& out);
std::string type_name(std::uint16_t t);
std::string rcode_name(std::uint8_t r);

}  // namespace vigil::sensor::dns
