#!/usr/bin/env python3
"""Writes a copy of an OVAL definitions file without the definitions that need a walk of the
whole file system (file/textfilecontent54 objects recursing down from "/"), and without every
definition that extends one of those. Used by perf/bench-oval.sh for the live-host comparison:
on a busy build machine `/` holds ~450k files that change under a scan, and oscap walks them
once per object (>30 min), so those definitions cannot be compared reproducibly there.
With --only-heavy it writes the complement instead: only those definitions (and the ones they
extend), so that the slow part can be compared on its own, e.g. in the background.
Usage: oval-subset.py [--only-heavy] IN.xml OUT.xml   (prints the dropped definition ids on stderr)"""
import sys
import xml.etree.ElementTree as ET

NS = 'http://oval.mitre.org/XMLSchema/oval-definitions-5'


def local(tag):
    return tag.split('}', 1)[1] if '}' in tag else tag


def main(src, dst, only_heavy=False):
    # Keep the document's prefixes when writing it back.
    for _, (prefix, uri) in ET.iterparse(src, events=['start-ns']):
        ET.register_namespace(prefix, uri)
    tree = ET.parse(src)
    root = tree.getroot()
    section = {local(c.tag): c for c in root}
    by_id = {}
    for name in ('tests', 'objects', 'states', 'variables'):
        for el in section.get(name, []):
            by_id[el.get('id')] = el

    def refs(el):
        out = []
        for e in el.iter():
            for a in ('object_ref', 'state_ref', 'var_ref', 'test_ref'):
                if e.get(a):
                    out.append(e.get(a))
            if local(e.tag) in ('object_reference', 'filter') and e.text:
                out.append(e.text.strip())
        return out

    def walks_root(obj):
        beh = next((c for c in obj if local(c.tag) == 'behaviors'), None)
        path = next((c for c in obj if local(c.tag) in ('path', 'filepath')), None)
        if beh is None or path is None or beh.get('recurse_direction', 'none') != 'down':
            return False
        return (path.text or '').strip() == '/'

    memo = {}

    def heavy(id_):
        if id_ in memo:
            return memo[id_]
        memo[id_] = False
        el = by_id.get(id_)
        if el is None:
            return False
        h = local(el.tag).endswith('_object') and walks_root(el)
        h = h or any(heavy(r) for r in refs(el))
        memo[id_] = h
        return h

    defs = section['definitions']
    dropped = {d.get('id') for d in defs
               if any(heavy(r) for r in refs(d))}
    changed = True
    while changed:  # definitions extending a dropped one go too
        changed = False
        for d in defs:
            if d.get('id') in dropped:
                continue
            ext = [e.get('definition_ref') for e in d.iter()
                   if local(e.tag) == 'extend_definition']
            if any(x in dropped for x in ext):
                dropped.add(d.get('id'))
                changed = True
    if only_heavy:
        by_def = {d.get('id'): d for d in defs}
        keep, todo = set(), [x for x in dropped]
        while todo:  # the heavy definitions and everything they extend
            id_ = todo.pop()
            if id_ in keep or id_ not in by_def:
                continue
            keep.add(id_)
            todo += [e.get('definition_ref') for e in by_def[id_].iter()
                     if local(e.tag) == 'extend_definition']
        dropped = {d.get('id') for d in defs} - keep
    for d in list(defs):
        if d.get('id') in dropped:
            defs.remove(d)
    tree.write(dst, xml_declaration=True, encoding='UTF-8')
    for d in sorted(dropped):
        print(d, file=sys.stderr)
    print(f'oval-subset: kept {len(defs)}, dropped {len(dropped)}', file=sys.stderr)


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if a != '--only-heavy']
    main(args[0], args[1], only_heavy=len(args) != len(sys.argv) - 1)
