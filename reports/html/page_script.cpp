// The renderer of the HTML report. Every value from the data goes into the page
// through createTextNode / textContent or setAttribute on a fixed attribute
// name; links are made only for http(s) hrefs. Tables are paged, so 1,000 hosts x
// 300 rules never means 300,000 DOM rows. "#print" (and the beforeprint event)
// renders the paper layout: every host, non-passing rules with their details.
#include "reports/html/page_assets.h"

namespace vigil::reports {

const std::string_view kPageScript = R"JS(
(function () {
'use strict';
var D = JSON.parse(document.getElementById('vigil-data').textContent);
var OUT = ['pass','fail','error','unknown','notapplicable','notchecked','notselected','informational','fixed'];
var SEV = ['unknown','info','low','medium','high','critical'];
var PAGE = 100;
// Sort order of results: what needs attention first.
var RANK = [6, 0, 1, 2, 7, 3, 8, 4, 5];
var printed = false;

function add(e, k) {
  if (k === null || k === undefined) return e;
  if (Array.isArray(k)) { for (var i = 0; i < k.length; i++) add(e, k[i]); return e; }
  if (typeof k === 'object' && k.nodeType) e.appendChild(k);
  else e.appendChild(document.createTextNode(String(k)));
  return e;
}
function el(tag, cls, kids) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  return add(e, kids);
}
function svg(tag, attrs, text) {
  var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (var k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = String(text);
  return e;
}
function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
function str(i) { return i >= 0 ? D.strings[i] : ''; }
function pct(s) { return s && s[2] > 0 ? 100 * s[1] / s[2] : null; }
function fmt(v) { return v === null ? 'n/a' : v.toFixed(1) + '%'; }
function hostScore(h) { return h.scores.length ? pct(h.scores[0]) : null; }
function resBadge(r) { return el('span', 'res ' + OUT[r], OUT[r]); }
function sevText(s) { return el('span', 'sev sev-' + s, SEV[s] || 'unknown'); }
function link(href, text) {
  // Only web links become anchors; "javascript:" and anything else stays text.
  if (/^https?:\/\//i.test(href)) {
    var a = el('a', null, text || href);
    a.setAttribute('href', href);
    a.setAttribute('rel', 'noopener noreferrer');
    return a;
  }
  return el('span', null, text ? text + ' (' + href + ')' : href);
}
function table(heads, rows) {
  var t = el('table'), tr = el('tr');
  heads.forEach(function (h) { tr.appendChild(el('th', null, h)); });
  t.appendChild(el('thead', null, tr));
  var tb = el('tbody');
  rows.forEach(function (r) {
    var row = el('tr');
    r.forEach(function (c) { row.appendChild(el('td', null, c)); });
    tb.appendChild(row);
  });
  t.appendChild(tb);
  return t;
}
function scoreBar(v, w) {
  var s = svg('svg', {width: w, height: 14, role: 'img'});
  s.appendChild(svg('rect', {x: 0, y: 2, width: w, height: 10, fill: '#e3e7ee'}));
  if (v !== null) s.appendChild(svg('rect', {x: 0, y: 2, width: Math.max(0, Math.min(w, w * v / 100)), height: 10,
    fill: v >= 80 ? '#2e8b57' : v >= 50 ? '#d68910' : '#c0392b'}));
  s.appendChild(svg('title', {}, fmt(v)));
  return s;
}
function gauge(v, label) {
  var s = svg('svg', {width: 150, height: 95, role: 'img'});
  var r = 60, cx = 75, cy = 80;
  function arc(f) {
    var a = Math.PI * (1 - f);
    return 'M ' + (cx - r) + ' ' + cy + ' A ' + r + ' ' + r + ' 0 0 1 ' +
      (cx + r * Math.cos(a)).toFixed(2) + ' ' + (cy - r * Math.sin(a)).toFixed(2);
  }
  s.appendChild(svg('path', {d: arc(1), stroke: '#e3e7ee', 'stroke-width': 14, fill: 'none'}));
  if (v !== null && v > 0) s.appendChild(svg('path', {d: arc(Math.min(v, 100) / 100),
    stroke: v >= 80 ? '#2e8b57' : v >= 50 ? '#d68910' : '#c0392b', 'stroke-width': 14, fill: 'none'}));
  s.appendChild(svg('text', {x: cx, y: cy - 8, 'text-anchor': 'middle', 'font-size': 20}, fmt(v)));
  s.appendChild(svg('text', {x: cx, y: cy + 12, 'text-anchor': 'middle'}, label));
  return s;
}
function barChart(items, w) {
  // items: [label, value, color]; horizontal bars.
  var max = 1; items.forEach(function (i) { if (i[1] > max) max = i[1]; });
  var h = items.length * 20 + 4, lw = 170;
  var s = svg('svg', {width: w, height: h, role: 'img'});
  items.forEach(function (it, k) {
    var y = k * 20 + 2;
    s.appendChild(svg('text', {x: lw - 6, y: y + 12, 'text-anchor': 'end'},
      it[0].length > 28 ? it[0].slice(0, 27) + '…' : it[0]));
    s.appendChild(svg('rect', {x: lw, y: y + 2, height: 14, width: Math.max(1, (w - lw - 60) * it[1] / max), fill: it[2]}));
    s.appendChild(svg('text', {x: lw + (w - lw - 60) * it[1] / max + 4, y: y + 13}, it[3] !== undefined ? it[3] : it[1]));
  });
  return s;
}
function trendChart(points) {
  var w = 320, h = 110, p = 28, s = svg('svg', {width: w, height: h, role: 'img'});
  var ts = points.map(function (q) { return Date.parse(q[0].replace(/\.\d+/, '')); });
  var t0 = Math.min.apply(null, ts), t1 = Math.max.apply(null, ts);
  s.appendChild(svg('line', {x1: p, y1: h - p, x2: w - 8, y2: h - p, stroke: '#9aa3b2'}));
  s.appendChild(svg('line', {x1: p, y1: 8, x2: p, y2: h - p, stroke: '#9aa3b2'}));
  s.appendChild(svg('text', {x: 2, y: 14}, '100'));
  s.appendChild(svg('text', {x: 10, y: h - p}, '0'));
  var d = '';
  points.forEach(function (q, i) {
    var x = p + (t1 > t0 ? (ts[i] - t0) / (t1 - t0) : 0.5) * (w - p - 16);
    var v = q[2] > 0 ? 100 * q[1] / q[2] : 0, y = h - p - v / 100 * (h - p - 8);
    d += (i ? ' L ' : 'M ') + x.toFixed(1) + ' ' + y.toFixed(1);
    var c = svg('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r: 3, fill: '#2c5d9e'});
    c.appendChild(svg('title', {}, q[0] + ': ' + fmt(v)));
    s.appendChild(c);
  });
  s.insertBefore(svg('path', {d: d, stroke: '#2c5d9e', 'stroke-width': 2, fill: 'none'}), s.firstChild);
  s.appendChild(svg('text', {x: p, y: h - 8}, points[0][0].slice(0, 10)));
  s.appendChild(svg('text', {x: w - 8, y: h - 8, 'text-anchor': 'end'}, points[points.length - 1][0].slice(0, 10)));
  return s;
}
// A paged, sortable table over `rows` (any objects): cols = [{h, v(row)->sort key, cell(row)->node|text, num}]
function paged(container, cols, rows, opts) {
  opts = opts || {};
  var page = 0, key = opts.sort === undefined ? -1 : opts.sort, dir = 1;
  var box = el('div'), pager = el('div', 'pager');
  container.appendChild(box);
  container.appendChild(pager);
  function draw() {
    var list = rows;
    if (key >= 0) {
      var kf = cols[key].v;
      list = rows.slice().sort(function (a, b) {
        var x = kf(a), y = kf(b);
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
    }
    var n = opts.all ? list.length : PAGE, pages = Math.max(1, Math.ceil(list.length / n));
    if (page >= pages) page = pages - 1;
    var t = el('table'), hr = el('tr');
    cols.forEach(function (c, i) {
      var th = el('th', (c.v ? 'sort' : '') + (c.num ? ' num' : ''), c.h);
      if (c.v) th.addEventListener('click', function () { dir = key === i ? -dir : 1; key = i; draw(); });
      hr.appendChild(th);
    });
    t.appendChild(el('thead', null, hr));
    var tb = el('tbody');
    list.slice(page * n, page * n + n).forEach(function (r) {
      var tr = el('tr', opts.detail ? 'click' : null);
      cols.forEach(function (c) { tr.appendChild(el('td', c.num ? 'num' : null, c.cell(r))); });
      tb.appendChild(tr);
      if (opts.detail) {
        var open = null;
        var toggle = function () {
          if (open) { tb.removeChild(open); open = null; return; }
          var td = el('td', null, opts.detail(r));
          td.setAttribute('colspan', String(cols.length));
          open = el('tr', 'detail', td);
          tb.insertBefore(open, tr.nextSibling);
        };
        tr.addEventListener('click', toggle);
        if (opts.expanded) toggle();
      }
    });
    t.appendChild(tb);
    clear(box).appendChild(t);
    clear(pager);
    if (!opts.all) {
      var prev = el('button', null, '‹ prev'), next = el('button', null, 'next ›');
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
      prev.addEventListener('click', function () { page--; draw(); });
      next.addEventListener('click', function () { page++; draw(); });
      add(pager, [prev, 'page ' + (page + 1) + ' of ' + pages + ' (' + list.length + ' rows)', next]);
    }
  }
  draw();
  return {set: function (r) { rows = r; page = 0; draw(); }};
}

function ruleDetail(h, row) {
  var r = D.rules[row[0]], dl = el('dl');
  function item(t, v) { if (v && (!Array.isArray(v) || v.length)) { dl.appendChild(el('dt', null, t)); dl.appendChild(el('dd', null, v)); } }
  item('Rule', el('span', 'mono', r.id));
  if (row.length > 4 && row[4] >= 0) item('Why', str(row[4]));
  item('Description', r.d);
  item('Rationale', r.r);
  item('Fix', r.f.join('\n\n'));
  if (row.length > 5 && row[5].length)
    item('Evidence', el('div', 'ev', row[5].map(function (i) { return str(i) + '\n'; })));
  item('References', r.refs.map(function (x, i) {
    return el('span', null, [i ? ' · ' : '', x[0] ? x[0] + ' ' : '', link(x[2], x[1])]);
  }));
  item('Identifiers', r.idents.join(', '));
  return dl;
}
function ruleCols() {
  return [
    {h: 'Result', v: function (x) { return RANK[x[1]]; }, cell: function (x) { return resBadge(x[1]); }},
    {h: 'Severity', v: function (x) { return -x[2]; }, cell: function (x) { return sevText(x[2]); }},
    {h: 'Rule', v: function (x) { return D.rules[x[0]].t; }, cell: function (x) { return D.rules[x[0]].t || D.rules[x[0]].id; }},
    {h: 'Group', v: function (x) { return D.rules[x[0]].g.join(' / '); }, cell: function (x) { return D.rules[x[0]].g.join(' / '); }},
    {h: 'Weight', num: true, v: function (x) { return x[3]; }, cell: function (x) { return x[3]; }}
  ];
}
function hostHeader(h) {
  var ids = [].concat(h.hostnames, h.ips, h.macs, h.host_ids).join(', ');
  var div = el('div', 'panel');
  add(div, [el('h3', null, h.name), el('div', 'muted', ids),
    el('div', null, ['Benchmark: ', h.bench[1] || h.bench[0], h.bench[2] ? ' ' + h.bench[2] : '',
      ' · Profile: ', h.profile[1] || h.profile[0] || '(default)']),
    el('div', 'muted mono', ['benchmark ', h.bench[3], ' sha256 ', h.bench[4]]),
    el('div', 'muted', ['Assessed ', h.start, ' – ', h.end])]);
  var cards = el('div', 'cards');
  h.scores.forEach(function (s) { cards.appendChild(el('div', 'card', [el('div', 'big', fmt(pct(s))), el('div', 'lbl', s[0])])); });
  [[0, 'pass'], [1, 'fail']].forEach(function (p) {
    cards.appendChild(el('div', 'card', [el('div', 'big', h.counts[p[0]]), el('div', 'lbl', p[1])]));
  });
  var other = 0; h.counts.forEach(function (c, i) { if (i > 1) other += c; });
  cards.appendChild(el('div', 'card', [el('div', 'big', other), el('div', 'lbl', 'other results')]));
  div.appendChild(cards);
  if (h.trend.length > 1) div.appendChild(el('div', null, [el('h3', null, 'Score over time'), trendChart(h.trend)]));
  return div;
}
function hostRules(container, h) {
  var f = el('div', 'filters no-print');
  var res = el('select'), sev = el('select'), grp = el('select'), q = el('input');
  q.setAttribute('placeholder', 'search rules…');
  q.setAttribute('type', 'search');
  add(res, el('option', null, 'any result'));
  OUT.forEach(function (o) { add(res, el('option', null, o)); });
  add(sev, el('option', null, 'any severity'));
  SEV.forEach(function (o) { add(sev, el('option', null, o)); });
  var groups = {}; h.rows.forEach(function (x) { var g = D.rules[x[0]].g[0]; if (g) groups[g] = 1; });
  add(grp, el('option', null, 'any group'));
  Object.keys(groups).sort().forEach(function (g) { add(grp, el('option', null, g)); });
  add(f, [res, sev, grp, q]);
  container.appendChild(f);
  var selected = h.rows.filter(function (x) { return x[1] !== 6; });
  var t = paged(container, ruleCols(), selected, {detail: function (x) { return ruleDetail(h, x); }, sort: 0});
  function apply() {
    var r = res.selectedIndex - 1, s = sev.selectedIndex - 1, g = grp.selectedIndex > 0 ? grp.value : null;
    var text = q.value.toLowerCase();
    t.set(h.rows.filter(function (x) {
      var rule = D.rules[x[0]];
      if (r >= 0 ? x[1] !== r : x[1] === 6) return false;
      if (s >= 0 && x[2] !== s) return false;
      if (g && rule.g[0] !== g) return false;
      return !text || (rule.t + ' ' + rule.id + ' ' + rule.g.join(' ')).toLowerCase().indexOf(text) >= 0;
    }));
  }
  [res, sev, grp].forEach(function (e) { e.addEventListener('change', apply); });
  q.addEventListener('input', apply);
}

function summary(v) {
  var hosts = D.hosts;
  add(v, el('h2', null, 'Executive summary'));
  var cards = el('div', 'cards'), models = {}, tot = new Array(9).fill(0);
  hosts.forEach(function (h) {
    h.scores.forEach(function (s) { var m = models[s[0]] = models[s[0]] || [0, 0]; var p = pct(s); if (p !== null) { m[0] += p; m[1]++; } });
    h.counts.forEach(function (c, i) { tot[i] += c; });
  });
  var panel = el('div', 'panel');
  Object.keys(models).forEach(function (m) {
    panel.appendChild(gauge(models[m][1] ? models[m][0] / models[m][1] : null, m.replace('urn:xccdf:scoring:', '')));
  });
  var other = 0; tot.forEach(function (c, i) { if (i > 1 && i !== 6) other += c; });
  add(cards, [el('div', 'card', [el('div', 'big', hosts.length), el('div', 'lbl', 'hosts')]),
    el('div', 'card', [el('div', 'big', tot[0]), el('div', 'lbl', 'rule results: pass')]),
    el('div', 'card', [el('div', 'big', tot[1]), el('div', 'lbl', 'fail')]),
    el('div', 'card', [el('div', 'big', other), el('div', 'lbl', 'other (error, unknown, n/a, not checked…)')]),
    el('div', 'card', [el('div', 'big', D.findings_total), el('div', 'lbl', 'network findings')])]);
  v.appendChild(cards);
  panel.insertBefore(el('h3', null, 'Average score per scoring model'), panel.firstChild);
  v.appendChild(panel);
  var worst = hosts.slice().sort(function (a, b) { return (hostScore(a) || 0) - (hostScore(b) || 0); }).slice(0, 25);
  if (worst.length) {
    var p2 = el('div', 'panel', el('h3', null, hosts.length > 25 ? 'Lowest-scoring hosts (25 of ' + hosts.length + ')' : 'Score per host'));
    p2.appendChild(barChart(worst.map(function (h) {
      var s = hostScore(h); return [h.name, s || 0, s >= 80 ? '#2e8b57' : s >= 50 ? '#d68910' : '#c0392b', fmt(s)];
    }), 640));
    v.appendChild(p2);
  }
  var fails = {};
  hosts.forEach(function (h) { h.rows.forEach(function (x) { if (x[1] === 1) fails[x[0]] = (fails[x[0]] || 0) + 1; }); });
  var wr = Object.keys(fails).map(Number).sort(function (a, b) { return fails[b] - fails[a] || D.rules[b].s - D.rules[a].s; }).slice(0, 15);
  var p3 = el('div', 'panel', el('h3', null, 'Rules failing on the most hosts'));
  p3.appendChild(wr.length ? table(['Rule', 'Severity', 'Failing hosts'], wr.map(function (i) {
    return [D.rules[i].t || D.rules[i].id, sevText(D.rules[i].s), fails[i] + ' of ' + hosts.length];
  })) : el('div', 'muted', 'No failing rules.'));
  v.appendChild(p3);
  var bysev = [0, 0, 0, 0, 0, 0];
  D.findings.forEach(function (f) { bysev[f[0] + 1]++; });
  var p4 = el('div', 'panel', el('h3', null, 'Network findings by severity'));
  p4.appendChild(barChart(['critical', 'high', 'medium', 'low', 'info'].map(function (n, i) {
    return [n, bysev[5 - i], ['#8e1b10', '#c0392b', '#d68910', '#b7a400', '#9aa3b2'][i]];
  }), 520));
  v.appendChild(p4);
  var trends = hosts.filter(function (h) { return h.trend.length > 1; }).slice(0, 12);
  if (trends.length) {
    var p5 = el('div', 'panel', el('h3', null, 'Score trend'));
    trends.forEach(function (h) { p5.appendChild(el('div', null, [el('div', null, h.name), trendChart(h.trend)])); });
    v.appendChild(p5);
  }
}
function hostsView(v) {
  add(v, el('h2', null, 'Hosts'));
  var detail = el('div');
  var f = el('div', 'filters no-print'), q = el('input');
  q.setAttribute('placeholder', 'filter hosts…');
  q.setAttribute('type', 'search');
  f.appendChild(q);
  v.appendChild(f);
  function show(h, scroll) {
    clear(detail);
    detail.appendChild(hostHeader(h));
    hostRules(detail, h);
    if (scroll && detail.scrollIntoView) detail.scrollIntoView();
  }
  var cols = [
    {h: 'Host', v: function (h) { return h.name; }, cell: function (h) {
      var b = el('button', null, h.name); b.addEventListener('click', function () { show(h, true); }); return b; }},
    {h: 'Addresses', cell: function (h) { return h.ips.join(', '); }},
    {h: 'Score', v: function (h) { return hostScore(h) || 0; }, cell: function (h) { return [scoreBar(hostScore(h), 120), ' ', fmt(hostScore(h))]; }},
    {h: 'Pass', num: true, v: function (h) { return h.counts[0]; }, cell: function (h) { return h.counts[0]; }},
    {h: 'Fail', num: true, v: function (h) { return h.counts[1]; }, cell: function (h) { return h.counts[1]; }},
    {h: 'Assessed', v: function (h) { return h.start; }, cell: function (h) { return h.start; }}
  ];
  var t = paged(v, cols, D.hosts, {sort: 0});
  q.addEventListener('input', function () {
    var s = q.value.toLowerCase();
    t.set(D.hosts.filter(function (h) { return (h.name + ' ' + h.ips.join(' ')).toLowerCase().indexOf(s) >= 0; }));
  });
  v.appendChild(detail);
  if (D.hosts.length) show(D.hosts[0]);
}
function frameworksView(v) {
  add(v, el('h2', null, 'Frameworks'));
  if (!D.frameworks.length) { v.appendChild(el('div', 'muted', 'No rule references a recognised framework' + (D.framework ? ' of ' + D.framework : '') + '.')); return; }
  var sel = el('select', 'no-print'), box = el('div');
  D.frameworks.forEach(function (fw) { add(sel, el('option', null, fw.name)); });
  v.appendChild(el('div', 'filters no-print', sel));
  v.appendChild(box);
  function count(st, ch) { var n = 0; for (var i = 0; i < st.length; i++) if (st[i] === ch) n++; return n; }
  function draw() {
    clear(box);
    // Paper shows every framework; the screen the selected one.
    (printed ? D.frameworks : [D.frameworks[sel.selectedIndex]]).forEach(drawOne);
  }
  function drawOne(fw) {
    box.appendChild(el('h3', null, fw.name));
    var cols = [
      {h: 'Control', v: function (c) { return c[0]; }, cell: function (c) { return c[0]; }},
      {h: 'Status', v: function (c) { return count(c[1], 'f') ? 0 : count(c[1], 'n') ? 1 : 2; }, cell: function (c) {
        var f = count(c[1], 'f'), n = count(c[1], 'n');
        return el('span', 'res ' + (f ? 'fail' : n ? 'unknown' : 'pass'), f ? 'fail' : n ? 'not assessed' : 'pass'); }},
      {h: 'Hosts pass', num: true, cell: function (c) { return count(c[1], 'p'); }},
      {h: 'Hosts fail', num: true, v: function (c) { return -count(c[1], 'f'); }, cell: function (c) { return count(c[1], 'f'); }},
      {h: 'Not assessed', num: true, cell: function (c) { return count(c[1], 'n'); }},
      {h: 'Rules', num: true, cell: function (c) { return c[2].length; }}
    ];
    paged(box, cols, fw.controls, {sort: 1, all: printed, detail: function (c) {
      return table(['Rule', 'Severity', 'Failing hosts', 'Passing hosts'], c[2].map(function (ri) {
        var f = 0, p = 0;
        D.hosts.forEach(function (h) { h.rows.forEach(function (x) { if (x[0] === ri) { if (x[1] === 1) f++; else if (x[1] === 0) p++; } }); });
        return [D.rules[ri].t || D.rules[ri].id, sevText(D.rules[ri].s), f, p];
      }));
    }});
  }
  sel.addEventListener('change', draw);
  draw();
}
function networkView(v) {
  add(v, el('h2', null, 'Network findings'));
  if (!D.findings.length) { v.appendChild(el('div', 'muted', 'No findings were given (--findings).')); return; }
  if (D.findings_total > D.findings.length)
    v.appendChild(el('div', 'muted', 'Showing ' + D.findings.length + ' of ' + D.findings_total + ' findings; the CSV and JSON reports list all.'));
  var types = {};
  D.findings.forEach(function (f) {
    var t = types[f[1]] = types[f[1]] || {sev: 0, count: 0, assets: {}, n: 0};
    t.sev = Math.max(t.sev, f[0]); t.count += f[4]; t.assets[f[3]] = 1; t.n++;
  });
  v.appendChild(el('h3', null, 'By type'));
  paged(v, [
    {h: 'Type', v: function (k) { return k; }, cell: function (k) { return el('span', 'mono', k); }},
    {h: 'Max severity', v: function (k) { return -types[k].sev; }, cell: function (k) { return sevText(types[k].sev + 1); }},
    {h: 'Findings', num: true, v: function (k) { return -types[k].n; }, cell: function (k) { return types[k].n; }},
    {h: 'Events', num: true, v: function (k) { return -types[k].count; }, cell: function (k) { return types[k].count; }},
    {h: 'Assets', cell: function (k) { var a = Object.keys(types[k].assets); return a.slice(0, 8).join(', ') + (a.length > 8 ? ' … (' + a.length + ')' : ''); }}
  ], Object.keys(types), {sort: 1, all: printed});
  v.appendChild(el('h3', null, 'All findings'));
  var f = el('div', 'filters no-print'), sev = el('select'), q = el('input');
  add(sev, el('option', null, 'any severity'));
  ['info', 'low', 'medium', 'high', 'critical'].forEach(function (s) { add(sev, el('option', null, s)); });
  q.setAttribute('placeholder', 'search findings…');
  q.setAttribute('type', 'search');
  add(f, [sev, q]);
  v.appendChild(f);
  var t = paged(v, [
    {h: 'Severity', v: function (x) { return -x[0]; }, cell: function (x) { return sevText(x[0] + 1); }},
    {h: 'Type', v: function (x) { return x[1]; }, cell: function (x) { return el('span', 'mono', x[1]); }},
    {h: 'Asset', v: function (x) { return x[3]; }, cell: function (x) { return x[3]; }},
    {h: 'Title', v: function (x) { return x[2]; }, cell: function (x) { return x[2]; }},
    {h: 'Count', num: true, v: function (x) { return -x[4]; }, cell: function (x) { return x[4]; }},
    {h: 'Last seen', v: function (x) { return x[6]; }, cell: function (x) { return x[6]; }}
  ], D.findings, {sort: 0, expanded: printed, detail: function (x) {
    var dl = el('dl');
    add(dl, [el('dt', null, 'Description'), el('dd', null, x[10]), el('dt', null, 'Seen'),
      el('dd', null, x[5] + ' – ' + x[6] + ' (' + x[4] + '×), ' + x[8] + ', status ' + x[9]),
      el('dt', null, 'Evidence'), el('dd', 'ev', x[7])]);
    return dl;
  }});
  function apply() {
    var s = sev.selectedIndex - 1, text = q.value.toLowerCase();
    t.set(D.findings.filter(function (x) {
      return (s < 0 || x[0] === s) && (!text || (x[1] + ' ' + x[2] + ' ' + x[3] + ' ' + x[7]).toLowerCase().indexOf(text) >= 0);
    }));
  }
  sev.addEventListener('change', apply);
  q.addEventListener('input', apply);
}
function assetsView(v) {
  add(v, el('h2', null, 'Assets'));
  if (!D.assets.length) { v.appendChild(el('div', 'muted', 'No asset inventory was given (--assets).')); return; }
  var cols = ['IP', 'MAC', 'Hostname', 'Host id', 'Vendor', 'OS', 'First seen', 'Last seen'].map(function (h, i) {
    return {h: h, v: function (a) { return a[i]; }, cell: function (a) { return a[i]; }};
  });
  paged(v, cols, D.assets, {sort: 0, all: printed});
}
function printHosts(v) {
  // Paper layout: one page break per host, its non-passing rules with details.
  D.hosts.forEach(function (h) {
    var sec = el('div', 'hostsec');
    sec.appendChild(hostHeader(h));
    var bad = h.rows.filter(function (x) { return x[1] !== 0 && x[1] !== 6 && x[1] !== 4 && x[1] !== 8; });
    sec.appendChild(el('h3', null, bad.length ? 'Rules not passing (' + bad.length + ')' : 'Every selected rule passes.'));
    if (bad.length) paged(sec, ruleCols(), bad, {all: true, expanded: true, sort: 1, detail: function (x) { return ruleDetail(h, x); }});
    v.appendChild(sec);
  });
}

var views = [['Summary', summary], ['Hosts', hostsView], ['Frameworks', frameworksView],
  ['Network findings', networkView], ['Assets', assetsView]];
function render(print) {
  printed = print;
  var root = clear(document.getElementById('vigil-root'));
  var head = el('header', 'top', [el('h1', null, D.title),
    el('div', 'meta', ['Generated ', D.generated, ' by ', D.generator, D.tenant ? ' · tenant ' + D.tenant : '',
      D.framework ? ' · framework ' + D.framework : ''])]);
  root.appendChild(head);
  var nav = el('nav', 'tabs'), main = el('main'), secs = [], btns = [];
  views.forEach(function (vw, i) {
    var b = el('button', i ? null : 'on', vw[0]), s = el('section', 'view' + (i ? '' : ' on'));
    b.addEventListener('click', function () {
      secs.forEach(function (x, k) { x.className = 'view' + (k === i ? ' on' : ''); btns[k].className = k === i ? 'on' : ''; });
    });
    btns.push(b); secs.push(s); nav.appendChild(b); main.appendChild(s);
    if (print && vw[1] === hostsView) { add(s, el('h2', null, 'Hosts')); printHosts(s); }
    else vw[1](s);
  });
  root.appendChild(nav);
  root.appendChild(main);
  var done = el('div', 'print-only muted');
  done.id = 'vigil-rendered';
  done.setAttribute('data-mode', print ? 'print' : 'screen');
  add(done, 'End of report.');
  root.appendChild(done);
}
render(location.hash === '#print');
window.addEventListener('beforeprint', function () { if (!printed) render(true); });
})();
)JS";

}  // namespace vigil::reports
