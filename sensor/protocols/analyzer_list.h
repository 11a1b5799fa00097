// The one list of app-layer analysers, in probe order (X-macro, no #pragma once).
// Adding a protocol = a folder protocols/<name>/ defining kAnalyzer_<name> + one line here.
// Order matters where signatures overlap: smtp before ftp (both greet with "220").
VIGIL_ANALYZER(tls)
VIGIL_ANALYZER(http)
VIGIL_ANALYZER(ssh)
VIGIL_ANALYZER(smtp)
VIGIL_ANALYZER(ftp)
VIGIL_ANALYZER(dns)
VIGIL_ANALYZER(dhcp)
VIGIL_ANALYZER(telnet)
