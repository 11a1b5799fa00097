"""OVAL 5.11 check templates for the Vigil Debian 12 benchmark.

Each rule in rules/*.ini names one or more checks such as
    check = sshd keyword=PermitRootLogin value='(?i)^no$'
The composer (scripts/build-benchmark-debian12.py) calls the function of that
name with the key=value arguments; the function adds tests/objects/states to
the OvalDoc and returns a criteria element.  Only a small set of object types
is used on purpose (textfilecontent54, variable, file, dpkginfo) so that the
Vigil OVAL engine and oscap can both evaluate every rule online and offline
(OSCAP_PROBE_ROOT): no sysctl/systemd/uname probes, which have no offline mode.
"""
import re
import xml.etree.ElementTree as ET

NS = {
    "oval": "http://oval.mitre.org/XMLSchema/oval-common-5",
    "def": "http://oval.mitre.org/XMLSchema/oval-definitions-5",
    "ind": "http://oval.mitre.org/XMLSchema/oval-definitions-5#independent",
    "unix": "http://oval.mitre.org/XMLSchema/oval-definitions-5#unix",
    "linux": "http://oval.mitre.org/XMLSchema/oval-definitions-5#linux",
}


def q(prefix, tag):
    return "{%s}%s" % (NS[prefix], tag)


class CheckError(Exception):
    pass


class OvalDoc:
    """Accumulates OVAL definitions, tests, objects, states and variables."""

    def __init__(self, namespace):
        self.ns = namespace  # e.g. org.vigil.debian12
        self.counters = {}
        self.definitions, self.tests, self.objects = [], [], []
        self.states, self.variables = [], []
        self.external = {}  # xccdf value short name -> (oval var id, datatype)

    def new_id(self, kind):
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return "oval:%s:%s:%d" % (self.ns, kind, self.counters[kind])

    def external_var(self, name, datatype):
        if name not in self.external:
            vid = self.new_id("var")
            el = ET.Element(q("def", "external_variable"),
                            {"id": vid, "version": "1", "datatype": datatype,
                             "comment": "XCCDF value %s" % name})
            self.variables.append(el)
            self.external[name] = (vid, datatype)
        return self.external[name][0]

    def add(self, bucket, prefix, tag, attrs, children=()):
        el = ET.Element(q(prefix, tag), attrs)
        for c in children:
            el.append(c)
        getattr(self, bucket).append(el)
        return el

    def test(self, prefix, kind, comment, obj, states=(), check="all",
             existence="at_least_one_exists", state_operator=None):
        tid = self.new_id("tst")
        attrs = {"id": tid, "version": "1", "check": check,
                 "check_existence": existence, "comment": comment}
        if state_operator:
            attrs["state_operator"] = state_operator
        el = self.add("tests", prefix, kind + "_test", attrs)
        ET.SubElement(el, q(prefix, "object"), {"object_ref": obj})
        for s in states:
            ET.SubElement(el, q(prefix, "state"), {"state_ref": s})
        return tid

    def obj(self, prefix, kind, comment=None):
        oid = self.new_id("obj")
        attrs = {"id": oid, "version": "1"}
        if comment:
            attrs["comment"] = comment
        return oid, self.add("objects", prefix, kind + "_object", attrs)

    def state(self, prefix, kind):
        sid = self.new_id("ste")
        return sid, self.add("states", prefix, kind + "_state",
                             {"id": sid, "version": "1"})


XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def sub(parent, prefix, tag, text=None, **attrs):
    el = ET.SubElement(parent, q(prefix, tag),
                       {XSI_NIL if k == "xsi_nil" else k: v
                        for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = str(text)
    return el


def criterion(test_id, comment=None, negate=False):
    attrs = {"test_ref": test_id}
    if comment:
        attrs["comment"] = comment
    if negate:
        attrs["negate"] = "true"
    return ET.Element(q("def", "criterion"), attrs)


def criteria(operator, *children, comment=None):
    attrs = {"operator": operator}
    if comment:
        attrs["comment"] = comment
    el = ET.Element(q("def", "criteria"), attrs)
    for c in children:
        el.append(c)
    return el


# ---------------------------------------------------------------- primitives

def _filepath(parent, path):
    """A path starting with ^ is a regular expression over the whole path."""
    if path.startswith("^"):
        sub(parent, "ind", "filepath", path, operation="pattern match")
    else:
        sub(parent, "ind", "filepath", path)


def _tfc_object(doc, path, regex, comment):
    oid, o = doc.obj("ind", "textfilecontent54", comment)
    _filepath(o, path)
    sub(o, "ind", "pattern", regex, operation="pattern match")
    sub(o, "ind", "instance", "1", datatype="int",
        operation="greater than or equal")
    return oid


def _value_entity(doc, parent, prefix, tag, value, datatype, op):
    """value 'var:NAME' refers to an XCCDF value exported to OVAL."""
    attrs = {"datatype": datatype, "operation": op}
    if str(value).startswith("var:"):
        attrs["var_ref"] = doc.external_var(value[4:], datatype)
        attrs["var_check"] = "all"
        return sub(parent, prefix, tag, **attrs)
    return sub(parent, prefix, tag, value, **attrs)


def line_present(doc, file, re, comment=None):
    """At least one line of FILE (path or ^regex over paths) matches RE."""
    c = comment or "%s has a line matching %s" % (file, re)
    oid = _tfc_object(doc, file, re, c)
    return criterion(doc.test("ind", "textfilecontent54", c, oid))


def line_absent(doc, file, re, comment=None):
    """No line of FILE matches RE (a missing file passes)."""
    c = comment or "%s has no line matching %s" % (file, re)
    oid = _tfc_object(doc, file, re, c)
    return criterion(doc.test("ind", "textfilecontent54", c, oid,
                              existence="none_exist"))


def setting(doc, file, re, value, op="equals", type="string", missing="fail",
            comment=None):
    """Every occurrence of RE in FILE has its first capture group satisfying
    OP VALUE; missing=fail requires at least one occurrence, missing=pass
    accepts none (the program's default is compliant)."""
    c = comment or "%s: %s %s %s" % (file, re, op, value)
    oid = _tfc_object(doc, file, re, c)
    sid, s = doc.state("ind", "textfilecontent54")
    _value_entity(doc, s, "ind", "subexpression", value, type, op)
    existence = "any_exist" if missing == "pass" else "at_least_one_exists"
    return criterion(doc.test("ind", "textfilecontent54", c, oid, [sid],
                              existence=existence))


SSHD_FILES = r"^/etc/ssh/sshd_config(\.d/[^/]+\.conf)?$"
# Keywords are case-insensitive and may be separated from the value by
# blanks or by '='.
SSHD_KEYWORD = r"(?i)^\s*%s(?:\s*=\s*|\s+)(\S+)"


def sshd(doc, keyword, value, op="pattern match", type="string",
         missing="fail"):
    """sshd takes the first value it reads and Debian's sshd_config includes
    sshd_config.d/*.conf first, and Match blocks override per connection:
    so every occurrence anywhere (drop-ins, main file, Match blocks) must be
    compliant, and at least one must exist unless the default is compliant."""
    re_ = SSHD_KEYWORD % keyword
    return setting(doc, SSHD_FILES, re_, value, op, type, missing,
                   comment="sshd %s %s %s in sshd_config and drop-ins" % (
                       keyword, op, value))


def sshd_list(doc, keyword, forbidden):
    """A list-valued keyword (Ciphers, MACs, ...) is set everywhere and never
    names a FORBIDDEN algorithm (regular expression)."""
    re_ = SSHD_KEYWORD % keyword
    c = "sshd %s set without %s" % (keyword, forbidden)
    oid = _tfc_object(doc, SSHD_FILES, re_, c)
    sid, s = doc.state("ind", "textfilecontent54")
    sub(s, "ind", "subexpression", r"(?i)(^|,)[+^]?(%s)(,|$)" % forbidden,
        operation="pattern match")
    return _sshd_list_tests(doc, oid, sid, c)


def _sshd_list_tests(doc, oid, sid, c):
    # present at least once, and no occurrence matches the forbidden state
    present = doc.test("ind", "textfilecontent54", c + " (present)", oid)
    bad = doc.test("ind", "textfilecontent54", c + " (no weak entry)", oid,
                   [sid], check="none satisfy", existence="any_exist")
    return criteria("AND", criterion(present), criterion(bad))


def kmod_disabled(doc, module):
    """modprobe.d both refuses to load MODULE (install ... /bin/false) and
    blacklists it from automatic loading."""
    files = r"^/etc/modprobe\.d/[^/]+\.conf$"
    return criteria(
        "AND",
        line_present(doc, files, r"^\s*install\s+%s\s+/(usr/)?bin/(true|false)\s*$"
                     % module, "modprobe.d makes %s uninstallable" % module),
        line_present(doc, files, r"^\s*blacklist\s+%s\s*$" % module,
                     "modprobe.d blacklists %s" % module))


def _fstab_re(mount):
    return r"^\s*[^#\s]\S*\s+%s\s+\S+\s+(\S+)" % re.escape(mount)


def fstab_mount(doc, mount):
    """MOUNT is a separate file system in /etc/fstab."""
    return line_present(doc, "/etc/fstab", _fstab_re(mount),
                        "%s is a separate file system in /etc/fstab" % mount)


def fstab_option(doc, mount, option, missing="fail"):
    """The fstab entry of MOUNT carries OPTION (missing=pass: rule applies
    only when MOUNT is a separate file system)."""
    return setting(doc, "/etc/fstab", _fstab_re(mount), r"(^|,)%s(,|$)" % option,
                   op="pattern match", missing=missing,
                   comment="%s is mounted with %s" % (mount, option))


SYSCTL_FILES = r"^/etc/sysctl(\.conf|\.d/[^/]+\.conf)$"


def _sysctl_key_re(key):
    return r"[./]".join(re.escape(p) for p in key.split("."))


def sysctl_conf(doc, key, value, op="equals"):
    """Every assignment of KEY in /etc/sysctl.conf and /etc/sysctl.d/*.conf
    satisfies OP VALUE, and there is at least one."""
    re_ = r"^\s*-?%s\s*=\s*(-?\d+)\s*$" % _sysctl_key_re(key)
    return setting(doc, SYSCTL_FILES, re_, value, op=op, type="int",
                   comment="%s %s %s in sysctl configuration" % (key, op, value))


def sysctl_runtime(doc, key, value, op="equals"):
    """The running kernel has KEY = VALUE, read from /proc/sys as a file so
    that an offline root carries its own snapshot (oscap's sysctl probe has
    no offline mode)."""
    path = "/proc/sys/" + key.replace(".", "/")
    return setting(doc, path, r"^\s*(-?\d+)\s*$", value, op=op, type="int",
                   comment="runtime %s %s %s" % (key, op, value))


def _pkg_test(doc, name, existence):
    oid, o = doc.obj("linux", "dpkginfo", "package %s" % name)
    sub(o, "linux", "name", name)
    what = "installed" if existence != "none_exist" else "not installed"
    return criterion(doc.test("linux", "dpkginfo", "%s %s" % (name, what), oid,
                              existence=existence))


def package_installed(doc, name):
    """At least one of the packages NAME (a|b) is installed.  One object per
    name: oscap's dpkginfo probe only supports the equals operation."""
    tests = [_pkg_test(doc, n, "at_least_one_exists") for n in name.split("|")]
    return tests[0] if len(tests) == 1 else criteria("OR", *tests)


def package_removed(doc, name):
    """None of the packages NAME (a|b) is installed."""
    tests = [_pkg_test(doc, n, "none_exist") for n in name.split("|")]
    return tests[0] if len(tests) == 1 else criteria("AND", *tests)


WANTS_DIRS = r"^/etc/systemd/system/[^/]+\.wants$"


def _wants_object(doc, unit):
    oid, o = doc.obj("unix", "file", "%s enablement links" % unit)
    sub(o, "unix", "path", WANTS_DIRS, operation="pattern match")
    sub(o, "unix", "filename", unit)
    return oid


def service_enabled(doc, unit):
    """UNIT is enabled: systemctl enable left a link in some
    /etc/systemd/system/*.wants directory (systemd probes have no offline
    mode, the links are the persistent state they would report)."""
    oid = _wants_object(doc, unit)
    return criterion(doc.test("unix", "file", "%s enabled" % unit, oid))


def service_disabled(doc, unit, package=None):
    """UNIT is not enabled, or its package is not installed at all."""
    oid = _wants_object(doc, unit)
    crit = criterion(doc.test("unix", "file", "%s not enabled" % unit, oid,
                              existence="none_exist"))
    if package:
        return criteria("OR", package_removed(doc, package), crit)
    return crit


MODE_BITS = [("suid", 0o4000), ("sgid", 0o2000), ("sticky", 0o1000),
             ("uread", 0o400), ("uwrite", 0o200), ("uexec", 0o100),
             ("gread", 0o40), ("gwrite", 0o20), ("gexec", 0o10),
             ("oread", 0o4), ("owrite", 0o2), ("oexec", 0o1)]


def _file_object(doc, path=None, dir=None, name=None, comment=None,
                 recurse=False):
    """path=FILE, or dir=DIR with name=REGEX (files in DIR) or name=NIL (the
    directory itself: a filepath naming a directory finds nothing)."""
    oid, o = doc.obj("unix", "file", comment)
    if recurse:
        sub(o, "unix", "behaviors", recurse="directories",
            recurse_direction="down", max_depth="-1",
            recurse_file_system="local")
    if path:
        sub(o, "unix", "filepath", path,
            operation="pattern match" if path.startswith("^") else None)
    else:
        sub(o, "unix", "path", dir,
            operation="pattern match" if dir.startswith("^") else None)
        if name == "NIL":
            sub(o, "unix", "filename", xsi_nil="true")
        else:
            sub(o, "unix", "filename", name,
                operation="pattern match" if name.startswith("^") else None)
    return oid, o


def file_mode(doc, mode, path=None, dir=None, name=None, uid=None, gid=None,
              missing="fail", recurse="no"):
    """Every matching file has no permission bit beyond MODE (octal) and,
    when given, owner UID and group one of GID (comma list)."""
    desc = path or "%s/%s" % (dir, name)
    oid, _ = _file_object(doc, path, dir, name, "%s permissions" % desc,
                          recurse=recurse == "yes")
    m = int(mode, 8)
    gids = gid.split(",") if gid else [None]
    states = []
    for g in gids:
        sid, s = doc.state("unix", "file")
        if g is not None:
            sub(s, "unix", "group_id", g, datatype="int")
        if uid is not None:
            sub(s, "unix", "user_id", uid, datatype="int")
        for bit, val in MODE_BITS:
            if not m & val:
                sub(s, "unix", bit, "false", datatype="boolean")
        states.append(sid)
    existence = "any_exist" if missing == "pass" else "at_least_one_exists"
    c = "%s mode <= %s owner %s group %s" % (desc, mode, uid, gid)
    return criterion(doc.test("unix", "file", c, oid, states,
                              existence=existence,
                              state_operator="OR" if len(states) > 1 else None))


def file_exists(doc, path):
    oid, _ = _file_object(doc, path, comment="%s exists" % path)
    return criterion(doc.test("unix", "file", "%s exists" % path, oid))


def file_absent(doc, path):
    oid, _ = _file_object(doc, path, comment="%s absent" % path)
    return criterion(doc.test("unix", "file", "%s absent" % path, oid,
                              existence="none_exist"))


GRUB_CFG = "/boot/grub/grub.cfg"


def grub_param(doc, param):
    """Every kernel line of grub.cfg carries PARAM (a regular expression for
    one word of the command line) and there is at least one kernel line."""
    linux = r"^\s*linux\s+\S+"
    esc = param
    return criteria(
        "AND",
        line_present(doc, GRUB_CFG, linux + r".*$", "grub.cfg has kernel lines"),
        line_absent(doc, GRUB_CFG, r"^\s*linux\s+(?!.*(\s)%s(\s|$)).*$" % esc,
                    "every grub.cfg kernel line has %s" % param))


AUDIT_RULES = r"^/etc/audit/rules\.d/[^/]+\.rules$"


def audit_rule(doc, re):
    """A persistent audit rule (audit/rules.d/*.rules) matches RE."""
    return line_present(doc, AUDIT_RULES, re, "audit rule %s" % re)


# ------------------------------------------------------------- accounts

def _passwd_field_var(doc, file, re_, comment, datatype="string"):
    """Local variable with the first capture of RE in FILE, one per line."""
    oid, o = doc.obj("ind", "textfilecontent54", comment)
    sub(o, "ind", "filepath", file)
    sub(o, "ind", "pattern", re_, operation="pattern match")
    sub(o, "ind", "instance", "1", datatype="int",
        operation="greater than or equal")
    vid = doc.new_id("var")
    v = ET.Element(q("def", "local_variable"),
                   {"id": vid, "version": "1", "datatype": datatype,
                    "comment": comment})
    sub(v, "def", "object_component", object_ref=oid,
        item_field="subexpression")
    doc.variables.append(v)
    return oid, vid


def no_duplicates(doc, file, field):
    """The values of FIELD (name, id) in FILE (/etc/passwd or /etc/group)
    are unique: count(values) == count(unique(values))."""
    col = {"name": r"^([^:#\s][^:]*):", "id": r"^[^:#]*:[^:]*:(\d+):"}[field]
    _, values = _passwd_field_var(doc, file, col, "%s %ss" % (file, field))
    ids = []
    for fn in ("all", "unique"):
        vid = doc.new_id("var")
        v = ET.Element(q("def", "local_variable"),
                       {"id": vid, "version": "1", "datatype": "int",
                        "comment": "count of %s %s %ss" % (fn, file, field)})
        cnt = sub(v, "def", "count")
        inner = sub(cnt, "def", "unique") if fn == "unique" else cnt
        sub(inner, "def", "variable_component", var_ref=values)
        doc.variables.append(v)
        ids.append(vid)
    oid, o = doc.obj("ind", "variable", "count of %s %ss" % (file, field))
    sub(o, "ind", "var_ref", ids[0])
    sid, s = doc.state("ind", "variable")
    sub(s, "ind", "value", datatype="int", operation="equals", var_ref=ids[1])
    return criterion(doc.test("ind", "variable",
                              "no duplicate %s in %s" % (field, file), oid,
                              [sid], existence="all_exist"))


def passwd_gids_exist(doc):
    """Every primary group id named in /etc/passwd is defined in /etc/group."""
    _, gids = _passwd_field_var(doc, "/etc/group", r"^[^:#]*:[^:]*:(\d+):",
                                "group ids in /etc/group")
    oid = _tfc_object(doc, "/etc/passwd", r"^[^:#]*:[^:]*:\d+:(\d+):",
                      "primary group ids in /etc/passwd")
    sid, s = doc.state("ind", "textfilecontent54")
    sub(s, "ind", "subexpression", datatype="string", operation="equals",
        var_ref=gids, var_check="at least one")
    return criterion(doc.test("ind", "textfilecontent54",
                              "passwd group ids exist in /etc/group", oid,
                              [sid]))


INTERACTIVE = (r"^[^:#]+:[^:]*:(?:[1-9]\d{3,}):\d+:[^:]*:(/[^:]*):"
               r"(?!/usr/sbin/nologin|/sbin/nologin|/bin/false|/usr/bin/false)"
               r"\S+$")


def home_dirs_mode(doc, mode="0750"):
    """Home directories of interactive users (uid >= 1000, a login shell)
    exist and grant nothing beyond MODE (owner, group read/enter)."""
    _, homes = _passwd_field_var(doc, "/etc/passwd", INTERACTIVE,
                                 "home directories of interactive users")
    oid, o = doc.obj("unix", "file", "interactive home directories")
    sub(o, "unix", "path", datatype="string", var_ref=homes,
        var_check="at least one")
    sub(o, "unix", "filename", xsi_nil="true")
    m = int(mode, 8)
    sid, s = doc.state("unix", "file")
    sub(s, "unix", "type", "directory")
    for bit, val in MODE_BITS:
        if not m & val:
            sub(s, "unix", bit, "false", datatype="boolean")
    return criterion(doc.test("unix", "file", "home directories mode", oid,
                              [sid], existence="any_exist"))


def home_dirs_exist(doc):
    """count(home directories found) == count(interactive users)."""
    ptfc, homes = _passwd_field_var(doc, "/etc/passwd", INTERACTIVE,
                                    "home directories named in /etc/passwd")
    foid, fo = doc.obj("unix", "file", "existing interactive home directories")
    sub(fo, "unix", "path", datatype="string", var_ref=homes,
        var_check="at least one")
    sub(fo, "unix", "filename", xsi_nil="true")
    counts = []
    for comp, ref, field in (("object", foid, "path"),
                             ("variable", homes, None)):
        vid = doc.new_id("var")
        v = ET.Element(q("def", "local_variable"),
                       {"id": vid, "version": "1", "datatype": "int",
                        "comment": "count of homes (%s)" % comp})
        cnt = sub(v, "def", "count")
        if comp == "object":
            sub(cnt, "def", "object_component", object_ref=ref,
                item_field=field)
        else:  # a home shared by two accounts is one directory
            sub(sub(cnt, "def", "unique"), "def", "variable_component",
                var_ref=ref)
        doc.variables.append(v)
        counts.append(vid)
    oid, o = doc.obj("ind", "variable", "count of existing homes")
    sub(o, "ind", "var_ref", counts[0])
    sid, s = doc.state("ind", "variable")
    sub(s, "ind", "value", datatype="int", operation="equals",
        var_ref=counts[1])
    home_test = criterion(doc.test("ind", "variable",
                                   "every interactive home exists", oid, [sid],
                                   existence="all_exist"))
    # No interactive user at all: nothing to check.
    none_test = criterion(doc.test("ind", "textfilecontent54",
                                   "no interactive users", ptfc,
                                   existence="none_exist"))
    return criteria("OR", none_test, home_test)


def home_no_dotfiles(doc, names):
    """No interactive home directory holds a file named ^(NAMES)$."""
    _, homes = _passwd_field_var(doc, "/etc/passwd", INTERACTIVE,
                                 "homes for %s check" % names)
    oid, o = doc.obj("unix", "file", "%s in home directories" % names)
    sub(o, "unix", "path", datatype="string", var_ref=homes,
        var_check="at least one")
    sub(o, "unix", "filename", "^(%s)$" % names, operation="pattern match")
    return criterion(doc.test("unix", "file", "no %s in homes" % names, oid,
                              existence="none_exist"))


# Trees walked by the world-writable/unowned checks.  Package-managed /usr
# (except /usr/local), /root, /tmp and /var/tmp are left out on purpose:
# oscap's file probe needs about a minute per 150,000 files and per check, and
# caches or build trees there make a scan take many minutes (documented in
# docs/benchmarks.md; /usr is covered by package verification instead).
TREES = ("/etc", "/boot", "/opt", "/srv", "/home", "/usr/local", "/var/lib",
         "/var/log", "/var/spool", "/var/mail")


def _trees_var(doc):
    if not hasattr(doc, "trees_var"):
        vid = doc.new_id("var")
        v = ET.Element(q("def", "constant_variable"),
                       {"id": vid, "version": "1", "datatype": "string",
                        "comment": "system trees walked for file checks"})
        for t in TREES:
            sub(v, "def", "value", t)
        doc.variables.append(v)
        doc.trees_var = vid
    return doc.trees_var


def _tree_files(doc, comment, filter_state, action, name="^.*$"):
    """Files (or, with name=None, directories) under the system trees whose
    items pass FILTER_STATE."""
    oid, o = doc.obj("unix", "file", comment)
    sub(o, "unix", "behaviors", recurse="directories",
        recurse_direction="down", max_depth="-1", recurse_file_system="local")
    sub(o, "unix", "path", var_ref=_trees_var(doc), var_check="at least one")
    if name is None:
        sub(o, "unix", "filename", xsi_nil="true")
    else:
        sub(o, "unix", "filename", name, operation="pattern match")
    sub(o, "def", "filter", filter_state, action=action)
    return oid


def no_world_writable_files(doc):
    sid, s = doc.state("unix", "file")
    sub(s, "unix", "type", "regular")
    sub(s, "unix", "owrite", "true", datatype="boolean")
    oid = _tree_files(doc, "world-writable regular files", sid, "include")
    return criterion(doc.test("unix", "file", "no world-writable files", oid,
                              existence="none_exist"))


def world_writable_dirs_sticky(doc):
    """/tmp, /var/tmp and every world-writable directory under the system
    trees carry the sticky bit."""
    sid, s = doc.state("unix", "file")
    sub(s, "unix", "type", "directory")
    sub(s, "unix", "sticky", "false", datatype="boolean")
    sub(s, "unix", "owrite", "true", datatype="boolean")
    oid = _tree_files(doc, "world-writable directories without sticky bit",
                      sid, "include", name=None)
    tmp, o = doc.obj("unix", "file", "/tmp and /var/tmp")
    sub(o, "unix", "path", "^/(var/)?tmp$", operation="pattern match")
    sub(o, "unix", "filename", xsi_nil="true")
    tsid, ts = doc.state("unix", "file")
    sub(ts, "unix", "sticky", "true", datatype="boolean")
    return criteria(
        "AND",
        criterion(doc.test("unix", "file",
                           "world-writable directories are sticky", oid,
                           existence="none_exist")),
        criterion(doc.test("unix", "file", "/tmp and /var/tmp are sticky",
                           tmp, [tsid], existence="any_exist")))


def no_unowned_files(doc, field):
    """Every file's owner (field=user) or group (field=group) is defined in
    /etc/passwd or /etc/group."""
    src = "/etc/passwd" if field == "user" else "/etc/group"
    _, ids = _passwd_field_var(doc, src, r"^[^:#]*:[^:]*:(\d+):",
                               "ids defined in %s" % src, datatype="int")
    sid, s = doc.state("unix", "file")
    sub(s, "unix", "user_id" if field == "user" else "group_id",
        datatype="int", operation="equals", var_ref=ids,
        var_check="at least one")
    oid = _tree_files(doc, "files with an undefined %s" % field, sid,
                      "exclude")
    return criterion(doc.test("unix", "file", "no files with unknown %s"
                              % field, oid, existence="none_exist"))


# The composer looks check names up here; one line per check keyword.
TEMPLATES = {f.__name__: f for f in (
    line_present, line_absent, setting, sshd, sshd_list, kmod_disabled,
    fstab_mount, fstab_option, sysctl_conf, sysctl_runtime, package_installed,
    package_removed, service_enabled, service_disabled, file_mode,
    file_exists, file_absent, grub_param, audit_rule, no_duplicates,
    passwd_gids_exist, home_dirs_mode, home_dirs_exist, home_no_dotfiles,
    no_world_writable_files, world_writable_dirs_sticky, no_unowned_files)}
