// The one list of check systems: XCCDF check system URI -> engine factory.
// Adding a check system = one engine file + one line here.
// (No #pragma once: X-macro list, included with VIGIL_CHECK_SYSTEM defined.)
VIGIL_CHECK_SYSTEM("http://oval.mitre.org/XMLSchema/oval-definitions-5", make_oval_check)
VIGIL_CHECK_SYSTEM("urn:vigil:check:findings", make_findings_check)
