/* Spatial pages: the hot-spot map (LISA classes or Gi* z, significant regions outlined) and the
 * Kd curve with its bands. Reuses the observatory's map code (projection, vendored TopoJSON,
 * export toolbar) exposed by observatory.js as window.ClusterObs. No framework, no CDN.
 */
(function () {
  "use strict";
  var C = window.ClusterObs;
  if (!C) return;
  var _ = C.gettext, el = C.el, text = C.text, num = C.num, interpolate = C.interpolate;

  function initHotspots(fig) {
    var layer = ["gi", "clusters"].indexOf(fig.dataset.layer) >= 0 ? fig.dataset.layer : "lisa", rows = [];
    Promise.all([
      C.loadFeatures(fig.dataset.type),
      fetch(fig.dataset.api, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); })
    ]).then(function (res) {
      var geo = res[0], d = res[1], byCode = {};
      d.tables.regions.rows.forEach(function (r) { byCode[r.region_code] = r; });
      var svg = C.svgRoot(fig, geo.w, geo.h, fig.querySelector("figcaption").textContent.trim());
      var base = el("g", { class: "regions" }, svg), top = el("g", { class: "significant" }, svg);
      geo.features.forEach(function (f) {
        var r = byCode[f.code], d0 = C.pathOf(f.geometry, geo.project);
        var fill = r ? ({ gi: r.gi_color, clusters: r.cluster_color, lisa: r.lisa_color })[layer] : d.no_data_color;
        var label = (r ? r.name : (f.name || f.code)) + ": " + (r
          ? (layer === "gi" ? "Gi* z " + num(r.gi_z) + " (" + r.gi_class + ")" : "LISA " + r.lisa_class) + ", " + num(r.value)
          : _("no data"));
        if (r && r.spatial_cluster) label += " — " + interpolate(_("cross-border cluster %s"), [r.spatial_cluster]);
        var p = el("path", { d: d0, fill: fill, stroke: "#fff", "stroke-width": 0.6, "data-code": f.code,
          tabindex: r ? 0 : -1, role: r ? "button" : "presentation", "aria-label": label }, base);
        el("title", {}, p).textContent = label;
        if (r && (layer === "clusters" ? r.spatial_cluster : r.significant)) {
          el("path", { d: d0, fill: "none", stroke: "#000", "stroke-width": 1.6, "pointer-events": "none",
            "data-significant": f.code }, top);
        }
        if (r) {
          rows.push({ region_code: r.region_code, name: r.name, value: r.value, lisa_class: r.lisa_class,
            gi_z: r.gi_z, gi_class: r.gi_class, significant: r.significant, spatial_cluster: r.spatial_cluster });
          var go = function () { if (fig.dataset.regionUrl) window.location = fig.dataset.regionUrl.replace("CODE", f.code); };
          p.addEventListener("click", go);
          p.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); go(); } });
        }
      });
      fig.dataset.ready = "1";
      fig.dispatchEvent(new CustomEvent("obs:ready"));
    });
    C.toolbar(fig, fig.dataset.name, function () { return rows; });
  }

  function initKd(fig) {
    var rows = C.data(fig.dataset.source);
    if (!rows.length) return;
    var w = 680, h = 360, l = 80, r = 20, t = 20, b = 50, ds = fig.dataset;
    var rmax = rows[rows.length - 1].r_km, vals = [0];
    rows.forEach(function (p) { ["kd", "local_hi", "global_hi"].forEach(function (k) { if (p[k] !== null) vals.push(p[k]); }); });
    var hi = Math.max.apply(null, vals) * 1.08 || 1;
    var sx = function (v) { return l + (w - l - r) * v / (rmax || 1); };
    var sy = function (v) { return t + (h - t - b) * (1 - v / hi); };
    var svg = C.svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    for (var k = 0; k <= 4; k++) {
      var v = hi * k / 4, x = rmax * k / 4;
      el("line", { x1: l, x2: w - r, y1: sy(v), y2: sy(v), stroke: "#e0e0e0" }, svg);
      text(svg, l - 6, sy(v) + 4, v.toPrecision(2), { "text-anchor": "end", "font-size": "10" });
      text(svg, sx(x), h - b + 16, Math.round(x), { "text-anchor": "middle" });
    }
    text(svg, (l + w) / 2, h - 12, ds.labelR, { "text-anchor": "middle" });
    function band(lo, up, attrs) {
      var pts = rows.filter(function (p) { return p[lo] !== null && p[up] !== null; });
      if (!pts.length) return;
      var d = pts.map(function (p, i) { return (i ? "L" : "M") + sx(p.r_km).toFixed(1) + "," + sy(p[up]).toFixed(1); }).join("");
      d += pts.slice().reverse().map(function (p) { return "L" + sx(p.r_km).toFixed(1) + "," + sy(p[lo]).toFixed(1); }).join("") + "Z";
      el("path", Object.assign({ d: d }, attrs), svg);
    }
    function line(key, attrs) {
      var pts = rows.filter(function (p) { return p[key] !== null; });
      el("polyline", Object.assign({ points: pts.map(function (p) { return sx(p.r_km).toFixed(1) + "," + sy(p[key]).toFixed(1); }).join(" "), fill: "none" }, attrs), svg);
    }
    band("local_lo", "local_hi", { fill: C.OKABE[4], "fill-opacity": 0.3, stroke: "none" });
    line("global_hi", { stroke: C.OKABE[0], "stroke-dasharray": "6 3", "stroke-width": 1.5 });
    line("global_lo", { stroke: C.OKABE[0], "stroke-dasharray": "6 3", "stroke-width": 1.5 });
    line("sim_mean", { stroke: "#777", "stroke-width": 1 });
    line("kd", { stroke: C.OKABE[5], "stroke-width": 2.5 });
    var lx = l + 10;
    [[ds.labelKd, C.OKABE[5], ""], [ds.labelGlobal, C.OKABE[0], "6 3"], [ds.labelLocal, C.OKABE[4], ""], [ds.labelMean, "#777", ""]].forEach(function (it) {
      el("line", { x1: lx, x2: lx + 18, y1: t + 6, y2: t + 6, stroke: it[1], "stroke-width": 3, "stroke-dasharray": it[2] }, svg);
      text(svg, lx + 22, t + 10, it[0], { "font-size": "11" });
      lx += 40 + it[0].length * 6.5;
    });
    C.toolbar(fig, fig.dataset.name, function () { return rows; });
    fig.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("figure.obs-spatial-map").forEach(initHotspots);
    document.querySelectorAll("figure.obs-kd-chart").forEach(initKd);
  });
})();
