// X.509 certificates seen in clear (TLS <= 1.2), parsed with OpenSSL.
#pragma once

#include "sensor/common/reader.h"
#include "sensor/output/event_sink.h"

namespace vigil::sensor::tls {

// Returns false if OpenSSL cannot parse the DER. Fills an EVE-like object:
// subject, issuer (RFC 2253), serial (hex), not_before/not_after (ISO 8601 UTC),
// key_type, key_bits, signature_algorithm, sans, self_signed, sha256.
bool describe_certificate(Bytes der, Json& out);

}  // namespace vigil::sensor::tls
