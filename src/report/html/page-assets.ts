/**
 * report.html's style sheet and its one page script, as text the page inlines. The script runs
 * in the browser after ECharts' own: it draws each chart of the `chart-data` element into its
 * box, adds value formatting to the tooltips (functions cannot travel in the JSON options),
 * follows window resizes and records what it did on `<html>` (`data-charts-drawn`,
 * `data-chart-errors`) for the headless-browser test.
 */

/** Light by default, dark after `prefers-color-scheme`; the charts' own text is mid-grey for both. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --card: #f6f8fa; --bad: #cf222e; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #8d96a0; --border: #30363d; --card: #161b22; --bad: #f85149; --warn: #d29922; } }
body { background: var(--bg); color: var(--fg); font: 14px/1.5 Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1600px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--border); } h3 { font-size: 15px; margin: 18px 0 6px; }
.facts, .note, footer, figcaption { color: var(--muted); font-size: 12px; }
.warning { border-left: 4px solid var(--warn); padding: 4px 10px; background: var(--card); }
#findings ul { padding-left: 20px; } .finding.problem { color: var(--bad); } .finding.client-bound { color: var(--warn); }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--card); } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.grade { display: inline-block; min-width: 2.2em; text-align: center; font-weight: bold; border-radius: 4px; padding: 0 4px; color: #fff; }
.g-Aplus, .g-A { background: #1a7f37; } .g-B { background: #0969da; } .g-C { background: #9a6700; } .g-D { background: #bc4c00; } .g-F { background: #cf222e; } .grade.none { background: transparent; color: var(--muted); }
.bad { color: var(--bad); } .cb { color: var(--warn); font-weight: bold; }
.chart-row { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; }
.chart { width: 760px; max-width: calc(100vw - 48px); height: 380px; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
.chart > svg { width: 100%; height: 100%; }
footer { margin-top: 32px; }
`;

/** Plain browser JavaScript (ES2017), kept small; `echarts` is the global of the inlined build. */
export const PAGE_SCRIPT = `
(function () {
  var root = document.documentElement;
  var errors = [];
  function fail(message) { errors.push(String(message)); root.setAttribute('data-chart-errors', errors.join(' | ')); }
  window.addEventListener('error', function (e) { fail(e.message); });
  function num(v, digits) { return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }); }
  var format = {
    throughput: function (v) { return v == null ? '—' : num(v, 0) + ' ops/s'; },
    latency: function (v) { return v == null ? '—' : (v < 1 ? Number(v).toFixed(2) : v < 10 ? Number(v).toFixed(1) : num(v, 0)) + ' ms'; },
    ratio: function (v) { return v == null ? '—' : (v < 1 ? Number(v).toFixed(2) : Number(v).toFixed(1)) + '×'; }
  };
  var charts = [];
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  specs.forEach(function (spec) {
    var box = document.getElementById(spec.id);
    try {
      box.innerHTML = '';
      var chart = echarts.init(box, null, { renderer: 'svg' });
      var option = spec.option;
      option.tooltip = Object.assign({}, option.tooltip, { valueFormatter: format[spec.kind] });
      chart.setOption(option);
      charts.push(chart);
    } catch (err) {
      fail(spec.id + ': ' + (err && err.message ? err.message : err));
    }
  });
  root.setAttribute('data-charts-drawn', String(charts.length));
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
`;
