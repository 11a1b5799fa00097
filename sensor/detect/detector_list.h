// The one list of detection families (X-macro, no #pragma once). A family is
// sensor/detect/<name>.cpp defining kDetector_<name>, plus one line here.
VIGIL_DETECTOR(cleartext_auth)
VIGIL_DETECTOR(mailbox_auth)
VIGIL_DETECTOR(insecure_proto)
VIGIL_DETECTOR(tls_session)
VIGIL_DETECTOR(tls_cert)
VIGIL_DETECTOR(scan)
VIGIL_DETECTOR(dns)
VIGIL_DETECTOR(yara)
VIGIL_DETECTOR(observed)
