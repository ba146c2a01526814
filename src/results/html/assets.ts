// The inline style sheet and filter script of the HTML pages (no network: everything is inline, and
// the page's Content-Security-Policy forbids fetching anything).
import { esc } from './escape.js';

/** Content-Security-Policy of the pages: no fetch of any kind; inline style and script only. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** The page's CSS. */
export const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.meta{color:#5b6475;margin:0 0 12px}.meta a{margin-right:10px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{border:1px solid #dde2ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr[hidden]{display:none}.reason{max-width:640px}td.id{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}
.badge{display:inline-block;min-width:44px;text-align:center;border-radius:3px;padding:0 5px;font-size:12px;font-weight:700;color:#fff}
.s-pass{--c:#2e8540}.s-fail{--c:#d1242f}.s-flaky{--c:#c87b00}.s-skip{--c:#8a93a3}.s-error{--c:#8250df}.s-xfail{--c:#1b7c83}.s-xpass{--c:#d1242f}
.badge{background:var(--c)}circle.pt{fill:var(--c,#3566c8);fill-opacity:.75;stroke:#fff;stroke-width:.6}
.zero{color:#8a93a3}.bad{color:#d1242f;font-weight:600}
.plots{display:flex;flex-wrap:wrap;gap:18px}
svg.plot{background:#fbfcfe;border:1px solid #dde2ea;font-size:11px}
svg .axis{stroke:#5b6475}svg .grid{stroke:#e6e9ef}svg .tick,svg .group-n,svg .unit{fill:#5b6475}
svg .plot-title{font-size:13px;font-weight:600;fill:#1d2330}svg .group-label{font-weight:600;fill:#1d2330}
svg .ref line{stroke-width:1.5}svg .ref text{font-size:11px}
svg .tolerance line{stroke:#d1242f;stroke-dasharray:6 4}svg .tolerance text{fill:#d1242f}
svg .zero-line line{stroke:#8a93a3}svg .zero-line text{fill:#8a93a3}
svg .series polyline{fill:none;stroke:var(--c);stroke-width:1.6}svg .series circle.pt{fill:var(--c)}
.series-0{--c:#3566c8}.series-1{--c:#d1242f}.series-2{--c:#2e8540}.series-3{--c:#c87b00}
.series-4{--c:#8250df}.series-5{--c:#1b7c83}.series-6{--c:#b35900}.series-7{--c:#5b6475}
.filters{margin:8px 0}.filters input{width:320px;padding:4px}.filters select{padding:4px}
pre{background:#f6f8fa;padding:6px;max-height:260px;overflow:auto;font-size:12px;margin:4px 0}
details summary{cursor:pointer;color:#3566c8}.note{color:#5b6475;font-size:13px}
`;

/** The filter script: text words (all must match) and a status select hide rows of table#cases. */
export const FILTER_SCRIPT = `
(function () {
  var input = document.getElementById('filter');
  var status = document.getElementById('status-filter');
  var shown = document.getElementById('shown');
  if (!input || !status || !shown) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#cases tbody tr.case'));
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = status.value;
    var n = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search') || '';
      var ok = (!wanted || row.getAttribute('data-status') === wanted) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  input.addEventListener('input', apply);
  status.addEventListener('change', apply);
  apply();
})();
`;

/** A complete page: head with the CSP, the (escaped) title and the style sheet, the body (HTML), the filter script at the end. */
export function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head>`,
    `<body>${body}<script>${FILTER_SCRIPT}</script></body></html>`,
    '',
  ].join('\n');
}
