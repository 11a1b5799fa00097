// Screen and print stylesheet of the HTML report.
#include "reports/html/page_assets.h"

namespace vigil::reports {

const std::string_view kPageStyle = R"CSS(
:root{--fg:#1d2330;--muted:#5b6577;--line:#d9dee7;--bg:#f5f7fa;--card:#fff;--pass:#2e8b57;
--fail:#c0392b;--other:#9aa3b2;--warn:#d68910;--accent:#2c5d9e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#1f2d44;color:#fff;padding:16px 24px}
header.top h1{margin:0 0 4px;font-size:22px}
header.top .meta{color:#c6d0e0;font-size:12px}
nav.tabs{display:flex;gap:4px;padding:0 24px;background:#1f2d44}
nav.tabs button{background:none;border:0;color:#c6d0e0;padding:10px 14px;font:inherit;cursor:pointer;border-bottom:3px solid transparent}
nav.tabs button.on{color:#fff;border-bottom-color:#7fb2ff}
main{padding:16px 24px;max-width:1400px}
section.view{display:none}section.view.on{display:block}
h2{font-size:18px;margin:18px 0 8px}h3{font-size:15px;margin:14px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:12px 16px;min-width:170px}
.card .big{font-size:26px;font-weight:600}.card .lbl{color:var(--muted);font-size:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600;white-space:nowrap}
th.sort{cursor:pointer}th.sort:after{content:" \2195";color:var(--muted)}
tr.click{cursor:pointer}tr.click:hover td{background:#f0f5ff}
td.num,th.num{text-align:right}
.res{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;color:#fff;background:var(--other)}
.res.pass,.res.fixed,.st-p{background:var(--pass)}.res.fail,.st-f{background:var(--fail)}.res.error{background:var(--warn)}
.sev{font-size:12px;font-weight:600}.sev-4,.sev-5{color:var(--fail)}.sev-3{color:var(--warn)}.sev-2{color:#7a6a00}
.detail td{background:#fafbfd}
.detail dl{margin:0}.detail dt{font-weight:600;margin-top:6px}.detail dd{margin:2px 0 0 0;white-space:pre-wrap}
.ev{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.filters input,.filters select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:4px}
.pager{margin:8px 0;color:var(--muted)}.pager button{font:inherit;margin:0 4px}
.muted{color:var(--muted)}.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
svg text{font:11px system-ui,sans-serif;fill:#1d2330}
.hostsec{margin-top:16px}
.print-only{display:none}
@media print{
 body{background:#fff;font-size:11px}
 nav.tabs,.filters,.pager,.no-print{display:none!important}
 header.top{background:#fff;color:#000;border-bottom:2px solid #000}
 header.top .meta{color:#333}
 section.view{display:block!important}
 .print-only{display:block}
 .hostsec{page-break-before:always}
 section.view+section.view{page-break-before:always}
 tr{page-break-inside:avoid}
 .panel,.card{border-color:#999}
 a{color:#000;text-decoration:none}
}
)CSS";

}  // namespace vigil::reports
