#!/usr/bin/env python3
"""Compose benchmarks/debian12/vigil-debian12-ds.xml from its readable sources.

Sources (benchmarks/debian12/src/):
  benchmark.ini   benchmark title/description/version, profiles
  values.ini      XCCDF values a site tunes (with selectors)
  rules/*.ini     one file per top-level section: [group N.M] and [rule ID]
  checks.py       OVAL check templates named by each rule's `check` lines

Output: one SCAP 1.3 source datastream holding four components (XCCDF 1.2
benchmark, OVAL 5.11 checks, CPE 2.3 dictionary, its OVAL check).  Only the
python3 standard library is used, and the output is byte-for-byte
reproducible (fixed timestamp unless SOURCE_DATE_EPOCH is set) so the
committed datastream can be diffed against a rebuild in CI.
"""
import argparse
import configparser
import datetime
import glob
import os
import re
import shlex
import sys
import xml.etree.ElementTree as ET

XCCDF = "http://checklists.nist.gov/xccdf/1.2"
DS = "http://scap.nist.gov/schema/scap/source/1.2"
CAT = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
XLINK = "http://www.w3.org/1999/xlink"
CPED = "http://cpe.mitre.org/dictionary/2.0"
DC = "http://purl.org/dc/elements/1.1/"
OVAL_SYSTEM = "http://oval.mitre.org/XMLSchema/oval-definitions-5"

PREFIX = "xccdf_org.vigil"
OVAL_NS = "org.vigil.debian12"
CPE_NAME = "cpe:/o:debian:debian_linux:12"
OVAL_HREF = "vigil-debian12-oval.xml"
CPE_OVAL_HREF = "vigil-debian12-cpe-oval.xml"
SECTION_SYSTEM = "urn:vigil:benchmark:debian12:section"
REF_HREF = {
    "cis_controls": "https://www.cisecurity.org/controls/v8",
    "nist": "https://doi.org/10.6028/NIST.SP.800-53r5",
}
SEVERITY_WEIGHT = {"high": "3.0", "medium": "2.0", "low": "1.0"}


class SourceError(Exception):
    pass


def x(tag):
    return "{%s}%s" % (XCCDF, tag)


def text_el(parent, tag, text, **attrs):
    el = ET.SubElement(parent, tag, attrs)
    el.text = " ".join(text.split()) if text else text
    return el


def read_ini(path):
    cp = configparser.ConfigParser(interpolation=None, strict=True,
                                   comment_prefixes=("#",),
                                   inline_comment_prefixes=None)
    cp.optionxform = str  # keep keys as written
    with open(path, encoding="utf-8") as f:
        cp.read_file(f)
    return cp


def section_key(num):
    return tuple(int(p) for p in num.split("."))


def load_sources(src):
    sys.dont_write_bytecode = True  # keep the source tree clean
    sys.path.insert(0, src)
    import checks  # noqa: E402  (the template module lives beside the rules)
    bench = read_ini(os.path.join(src, "benchmark.ini"))
    values = read_ini(os.path.join(src, "values.ini"))
    groups, rules = {}, []
    seen = set()
    for path in sorted(glob.glob(os.path.join(src, "rules", "*.ini"))):
        cp = read_ini(path)
        for name in cp.sections():
            kind, _, ident = name.partition(" ")
            body = dict(cp[name])
            where = "%s [%s]" % (os.path.relpath(path, src), name)
            if kind == "group":
                groups[ident] = body
            elif kind == "rule":
                if ident in seen:
                    raise SourceError("%s: duplicate rule id" % where)
                seen.add(ident)
                for key in ("section", "level", "severity", "title",
                            "description", "rationale", "fixtext", "check",
                            "cis_controls", "nist"):
                    if key not in body:
                        raise SourceError("%s: missing %s" % (where, key))
                body["id"], body["where"] = ident, where
                rules.append(body)
            else:
                raise SourceError("%s: unknown section kind" % where)
    rules.sort(key=lambda r: section_key(r["section"]))
    return checks, bench, values, groups, rules


def build_oval(checks, rules, values):
    doc = checks.OvalDoc(OVAL_NS)
    for r in rules:
        parts = []
        for line in r["check"].strip().splitlines():
            words = shlex.split(line)
            fn = checks.TEMPLATES.get(words[0])
            if fn is None:
                raise SourceError("%s: unknown check %s" % (r["where"], words[0]))
            kwargs = {}
            for w in words[1:]:
                k, sep, v = w.partition("=")
                if not sep:
                    raise SourceError("%s: argument %r is not key=value"
                                      % (r["where"], w))
                kwargs[k] = v
            try:
                parts.append(fn(doc, **kwargs))
            except TypeError as e:
                raise SourceError("%s: %s" % (r["where"], e))
        # Values this rule's check reads: each needs a check-export.
        used = set()
        for line in r["check"].splitlines():
            used.update(re.findall(r"var:([A-Za-z0-9_]+)", line))
        for name in used:
            if name not in values:
                raise SourceError("%s: unknown value %s" % (r["where"], name))
        r["exports"] = sorted(used)
        did = doc.new_id("def")
        d = ET.Element(checks.q("def", "definition"),
                       {"id": did, "version": "1", "class": "compliance"})
        md = ET.SubElement(d, checks.q("def", "metadata"))
        text_el(md, checks.q("def", "title"), r["title"])
        ET.SubElement(md, checks.q("def", "affected"), {"family": "unix"}) \
            .append(_platform(checks))
        text_el(md, checks.q("def", "description"), r["description"])
        op = r.get("check_operator", "AND")
        if len(parts) == 1 and parts[0].tag == checks.q("def", "criteria") \
                and op == "AND":
            d.append(parts[0])
        else:
            d.append(checks.criteria(op, *parts))
        doc.definitions.append(d)
        r["oval_def"] = did
    return doc


def _platform(checks):
    p = ET.Element(checks.q("def", "platform"))
    p.text = "Debian 12"
    return p


def oval_root(checks, doc, stamp):
    root = ET.Element(checks.q("def", "oval_definitions"))
    gen = ET.SubElement(root, checks.q("def", "generator"))
    text_el(gen, checks.q("oval", "product_name"), "vigil build-benchmark-debian12")
    text_el(gen, checks.q("oval", "schema_version"), "5.11")
    text_el(gen, checks.q("oval", "timestamp"), stamp)
    for bucket in ("definitions", "tests", "objects", "states", "variables"):
        items = getattr(doc, bucket)
        if items:
            ET.SubElement(root, checks.q("def", bucket)).extend(items)
    return root


def cpe_oval(checks, stamp):
    """OVAL inventory definition: /etc/os-release says Debian 12."""
    doc = checks.OvalDoc(OVAL_NS + ".cpe")
    c1 = checks.line_present(doc, "/etc/os-release", r'^ID="?debian"?\s*$',
                             "os-release ID is debian")
    c2 = checks.line_present(doc, "/etc/os-release", r'^VERSION_ID="?12"?\s*$',
                             "os-release VERSION_ID is 12")
    did = doc.new_id("def")
    d = ET.Element(checks.q("def", "definition"),
                   {"id": did, "version": "1", "class": "inventory"})
    md = ET.SubElement(d, checks.q("def", "metadata"))
    text_el(md, checks.q("def", "title"), "Debian GNU/Linux 12")
    aff = ET.SubElement(md, checks.q("def", "affected"), {"family": "unix"})
    aff.append(_platform(checks))
    ET.SubElement(md, checks.q("def", "reference"),
                  {"source": "CPE", "ref_id": CPE_NAME})
    text_el(md, checks.q("def", "description"),
            "The operating system is Debian GNU/Linux 12 (bookworm).")
    d.append(checks.criteria("AND", c1, c2))
    doc.definitions.append(d)
    return oval_root(checks, doc, stamp), did


def cpe_dictionary(cpe_def):
    root = ET.Element("{%s}cpe-list" % CPED)
    item = ET.SubElement(root, "{%s}cpe-item" % CPED, {"name": CPE_NAME})
    text_el(item, "{%s}title" % CPED, "Debian GNU/Linux 12",
            **{"{http://www.w3.org/XML/1998/namespace}lang": "en-US"})
    text_el(item, "{%s}check" % CPED, cpe_def, system=OVAL_SYSTEM,
            href=CPE_OVAL_HREF)
    return root


def xccdf_value(parent, name, body):
    v = ET.SubElement(parent, x("Value"),
                      {"id": "%s_value_%s" % (PREFIX, name),
                       "type": body.get("type", "number"),
                       "operator": body.get("operator", "equals")})
    text_el(v, x("title"), body["title"])
    text_el(v, x("description"), body["description"])
    text_el(v, x("value"), body["default"])
    for opt in body["options"].split():
        text_el(v, x("value"), opt, selector=opt)


def xccdf_rule(parent, r):
    rid = "%s_rule_%s" % (PREFIX, r["id"])
    el = ET.SubElement(parent, x("Rule"), {
        "id": rid, "selected": "true", "severity": r["severity"], "role": "full",
        "weight": r.get("weight", SEVERITY_WEIGHT[r["severity"]])})
    text_el(el, x("title"), r["title"])
    text_el(el, x("description"), r["description"])
    for key in ("cis_controls", "nist"):
        for ctl in r[key].split(","):
            text_el(el, x("reference"), ctl.strip(), href=REF_HREF[key])
    text_el(el, x("rationale"), r["rationale"])
    text_el(el, x("ident"), r["section"], system=SECTION_SYSTEM)
    text_el(el, x("fixtext"), r["fixtext"])
    chk = ET.SubElement(el, x("check"), {"system": OVAL_SYSTEM})
    for name in r["exports"]:
        ET.SubElement(chk, x("check-export"), {
            "value-id": "%s_value_%s" % (PREFIX, name),
            "export-name": r["_value_oval"][name]})
    ET.SubElement(chk, x("check-content-ref"),
                  {"href": OVAL_HREF, "name": r["oval_def"]})
    return rid


def build_xccdf(bench, values, groups, rules, doc, stamp):
    b = bench["benchmark"]
    root = ET.Element(x("Benchmark"), {
        "id": "%s_benchmark_debian12" % PREFIX, "resolved": "true",
        "style": "SCAP_1.3",
        "{http://www.w3.org/XML/1998/namespace}lang": "en-US"})
    text_el(root, x("status"), "draft", date=b["status_date"])
    text_el(root, x("title"), b["title"])
    text_el(root, x("description"), b["description"])
    text_el(root, x("notice"), b["notice"], id="vigil-notice")
    ET.SubElement(root, x("platform"), {"idref": CPE_NAME})
    text_el(root, x("version"), b["version"], time=stamp, update=b["update_url"])
    md = ET.SubElement(root, x("metadata"))
    for key in ("creator", "publisher", "contributor", "source"):
        text_el(md, "{%s}%s" % (DC, key), b[key])
    # Profiles: a rule of level L belongs to every profile of level >= L.
    profiles = [s.split(" ", 1)[1] for s in bench.sections()
                if s.startswith("profile ")]
    for name in profiles:
        p = bench["profile " + name]
        attrs = {"id": "%s_profile_%s" % (PREFIX, name)}
        if p.get("extends"):
            attrs["extends"] = "%s_profile_%s" % (PREFIX, p["extends"])
        pe = ET.SubElement(root, x("Profile"), attrs)
        text_el(pe, x("title"), p["title"])
        text_el(pe, x("description"), p["description"])
        level = int(p["level"])
        for r in rules:
            rl = int(r["level"])
            if p.get("extends") and rl != level:
                continue  # inherited selection
            ET.SubElement(pe, x("select"), {
                "idref": "%s_rule_%s" % (PREFIX, r["id"]),
                "selected": "true" if rl <= level else "false"})
        for line in p.get("refine_values", "").split():
            vname, _, sel = line.partition("=")
            if vname not in values:
                raise SourceError("profile %s: unknown value %s" % (name, vname))
            ET.SubElement(pe, x("refine-value"), {
                "idref": "%s_value_%s" % (PREFIX, vname), "selector": sel})
    for name in values.sections():
        xccdf_value(root, name, values[name])
    # Groups: top level N, second level N.M; rules go to their N.M group.
    for r in rules:
        r["_value_oval"] = {n: doc.external[n][0] for n in r["exports"]}
    tops = sorted({k for k in groups if "." not in k}, key=section_key)
    for top in tops:
        g = _group(root, top, groups[top])
        subs = sorted((k for k in groups if k.split(".")[0] == top and "." in k),
                      key=section_key)
        for s in subs:
            sg = _group(g, s, groups[s])
            members = [r for r in rules
                       if section_key(r["section"])[:2] == section_key(s)]
            if not members:
                raise SourceError("group %s has no rules" % s)
            for r in members:
                xccdf_rule(sg, r)
    placed = {section_key(s) for s in groups if "." in s}
    for r in rules:
        if section_key(r["section"])[:2] not in placed:
            raise SourceError("%s: no group for section %s"
                              % (r["where"], r["section"]))
    return root


def _group(parent, num, body):
    slug = re.sub(r"[^a-z0-9]+", "_", body["title"].lower()).strip("_")
    g = ET.SubElement(parent, x("Group"), {
        "id": "%s_group_%s_%s" % (PREFIX, num.replace(".", "_"), slug)})
    text_el(g, x("title"), "%s %s" % (num, body["title"]))
    text_el(g, x("description"), body["description"])
    return g


def datastream(components, stamp):
    """components: list of (role, file name, element, catalog uris)."""
    coll = ET.Element("{%s}data-stream-collection" % DS, {
        "id": "scap_org.vigil_collection_debian12",
        "schematron-version": "1.3"})
    ds = ET.SubElement(coll, "{%s}data-stream" % DS, {
        "id": "scap_org.vigil_datastream_debian12", "scap-version": "1.3",
        "use-case": "CONFIGURATION", "timestamp": stamp})
    sections = {}
    for role in ("dictionaries", "checklists", "checks"):
        sections[role] = ET.SubElement(ds, "{%s}%s" % (DS, role))
    for role, name, _, uris in components:
        ref = ET.SubElement(sections[role], "{%s}component-ref" % DS, {
            "id": "scap_org.vigil_cref_" + name,
            "{%s}href" % XLINK: "#scap_org.vigil_comp_" + name})
        if uris:
            cat = ET.SubElement(ref, "{%s}catalog" % CAT)
            for u in uris:
                ET.SubElement(cat, "{%s}uri" % CAT,
                              {"name": u, "uri": "#scap_org.vigil_cref_" + u})
    for role, name, el, _ in components:
        comp = ET.SubElement(coll, "{%s}component" % DS, {
            "id": "scap_org.vigil_comp_" + name, "timestamp": stamp})
        comp.append(el)
    return coll


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=os.path.join(repo, "benchmarks/debian12/src"))
    ap.add_argument("--out", default=os.path.join(
        repo, "benchmarks/debian12/vigil-debian12-ds.xml"))
    ap.add_argument("--components", metavar="DIR",
                    help="also write the four component files into DIR")
    args = ap.parse_args()
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))
    stamp = datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    try:
        checks, bench, values, groups, rules = load_sources(args.src)
        for prefix, uri in checks.NS.items():
            ET.register_namespace("oval-def" if prefix == "def" else prefix, uri)
        for prefix, uri in (("xccdf", XCCDF), ("ds", DS), ("cat", CAT),
                            ("xlink", XLINK), ("cpe-dict", CPED), ("dc", DC)):
            ET.register_namespace(prefix, uri)
        doc = build_oval(checks, rules, values)
        oval = oval_root(checks, doc, stamp)
        cpe_ov, cpe_def = cpe_oval(checks, stamp)
        xccdf = build_xccdf(bench, values, groups, rules, doc, stamp)
    except (SourceError, configparser.Error) as e:
        print("build-benchmark-debian12: %s" % e, file=sys.stderr)
        return 1
    comps = [
        ("dictionaries", "vigil-debian12-cpe-dictionary.xml",
         cpe_dictionary(cpe_def), [CPE_OVAL_HREF]),
        ("checklists", "vigil-debian12-xccdf.xml", xccdf, [OVAL_HREF]),
        ("checks", OVAL_HREF, oval, []),
        ("checks", CPE_OVAL_HREF, cpe_ov, []),
    ]
    if args.components:
        os.makedirs(args.components, exist_ok=True)
        for _, name, el, _ in comps:
            t = ET.ElementTree(el)
            ET.indent(t)
            t.write(os.path.join(args.components, name), encoding="UTF-8",
                    xml_declaration=True)
    tree = ET.ElementTree(datastream(comps, stamp))
    ET.indent(tree)
    tree.write(args.out, encoding="UTF-8", xml_declaration=True)
    nvals = len(values.sections())
    print("%s: %d rules, %d groups, %d values, %d OVAL definitions" % (
        os.path.relpath(args.out), len(rules), len(groups), nvals,
        len(doc.definitions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
