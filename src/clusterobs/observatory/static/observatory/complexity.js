/* Complexity pages: the opportunity chart -- relatedness density (feasibility) against complexity
 * (PCI), bubble area = national employment, industries the region already specialises in
 * filled orange, declared priorities outlined in black. Drawn with the observatory's chart
 * helpers (observatory.js), so CSV, SVG and PNG export work as on every other chart.
 */
(function () {
  "use strict";
  var C = window.clusterobsCharts;
  if (!C) return;
  var _ = C.gettext, fmt = C.interpolate, el = C.el, text = C.text, num = C.num;

  function extent(values, pad) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    var p = (hi - lo) * pad || Math.abs(hi) * pad || 1;
    return [lo - p, hi + p];
  }

  function opportunityChart(fig, rows) {
    var d = fig.dataset, w = 640, h = 460, l = 62, r = 20, t = 20, b = 74;
    rows = rows.filter(function (p) { return p[d.x] !== null && p[d.y] !== null; });
    if (!rows.length) return;
    var xs = rows.map(function (p) { return p[d.x]; }), ys = rows.map(function (p) { return p[d.y]; });
    var xh = Math.max(Math.max.apply(null, xs) * 1.05, 1e-6), xl = 0;
    var yd = extent(ys, 0.06), yl = yd[0], yh = yd[1];
    var rmax = Math.max.apply(null, rows.map(function (p) { return p[d.r] || 0; })) || 1;
    var sx = function (v) { return l + (w - l - r) * (v - xl) / (xh - xl); };
    var sy = function (v) { return t + (h - t - b) * (1 - (v - yl) / (yh - yl)); };
    var svg = C.svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    for (var k = 0; k <= 4; k++) {
      var xv = xl + (xh - xl) * k / 4, yv = yl + (yh - yl) * k / 4;
      el("line", { x1: l, x2: w - r, y1: sy(yv), y2: sy(yv), stroke: "#eee" }, svg);
      text(svg, l - 6, sy(yv) + 4, yv.toFixed(1), { "text-anchor": "end" });
      text(svg, sx(xv), h - b + 16, (100 * xv).toFixed(0) + "%", { "text-anchor": "middle" });
    }
    el("line", { x1: l, x2: w - r, y1: h - b, y2: h - b, stroke: "#555" }, svg);
    el("line", { x1: l, x2: l, y1: t, y2: h - b, stroke: "#555" }, svg);
    if (d.xcut) el("line", { x1: sx(+d.xcut), x2: sx(+d.xcut), y1: t, y2: h - b, stroke: "#888", "stroke-dasharray": "4 3" }, svg);
    if (d.ycut) el("line", { x1: l, x2: w - r, y1: sy(+d.ycut), y2: sy(+d.ycut), stroke: "#888", "stroke-dasharray": "4 3" }, svg);
    text(svg, (l + w - r) / 2, h - b + 34, d.xlabel || d.x, { "text-anchor": "middle" });
    text(svg, 8, 12, d.ylabel || d.y, { "font-size": "10" });
    var points = el("g", { class: "points" }, svg), labels = [];
    rows.slice().sort(function (a, c) { return (c[d.r] || 0) - (a[d.r] || 0); }).forEach(function (p) {
      var rad = 2.5 + 16 * Math.sqrt((p[d.r] || 0) / rmax), on = d.mark && p[d.mark], hi = d.highlight && p[d.highlight];
      var c = el("circle", { cx: sx(p[d.x]), cy: sy(p[d.y]), r: rad, fill: on ? C.OKABE[1] : C.OKABE[0],
        "fill-opacity": on ? 0.8 : 0.45, stroke: hi ? "#000" : "#fff", "stroke-width": hi ? 2.5 : 0.8,
        "data-code": p[d.code] }, points);
      el("title", {}, c).textContent = fmt(_("%s: relatedness density %s%, complexity %s, national employment %s"),
        [p[d.label], (100 * p[d.x]).toFixed(1), (+p[d.y]).toFixed(2), num(p[d.r])]) + (on ? " " + _("(specialised)") : "");
      if (hi) labels.push(p);
    });
    labels.forEach(function (p) {
      text(svg, sx(p[d.x]) + 6, sy(p[d.y]) - 6, String(p[d.label]).slice(0, 28), { "font-size": "10", "font-weight": "bold" });
    });
    var names = [_("not yet specialised"), _("specialised (RCA ≥ threshold)")];
    C.legend(svg, names, l, h - 12);
    if (d.highlight && labels.length) {
      var x = l + 24 + names.join("").length * 6.5 + 48;
      el("circle", { cx: x + 5, cy: h - 16, r: 5, fill: "#fff", stroke: "#000", "stroke-width": 2.5 }, svg);
      text(svg, x + 14, h - 12, _("declared priority"));
    }
  }

  C.register("opportunity", opportunityChart);
})();
