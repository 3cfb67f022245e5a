/* Cluster Observatory pages: hand-built SVG charts and maps (easy SVG/PNG export), search
 * autocomplete, the custom region builder. No framework, no CDN; TopoJSON decoded with the
 * vendored topojson-client. Colours: Okabe-Ito (categorical), viridis (sequential, from the API).
 */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var OKABE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  var STATIC = (document.querySelector('script[src*="observatory/observatory.js"]') || {}).src || "";
  var STATIC_ROOT = STATIC.replace(/observatory\/observatory\.js.*$/, "");
  // Django's JavaScript catalog (jsi18n) defines gettext/interpolate; English if it is absent.
  var _ = window.gettext || function (s) { return s; };
  var fmt = window.interpolate || function (f, args) { var i = 0; return f.replace(/%s/g, function () { return args[i++]; }); };
  // Employment status words shown in tooltips, listed so that makemessages extracts them.
  window.clusterobsStatusWords = [_("imputed"), _("partly imputed"), _("suppressed"), _("reported")];

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function num(v) {
    if (v === null || v === undefined) return _("n/a");
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e4) return Math.round(v / 1e3) + "k";
    if (a >= 100) return Math.round(v).toLocaleString("en");
    return (+v).toPrecision(3);
  }
  // Axis ticks at round numbers (1, 2 or 5 times a power of ten), after Heckbert, "Nice numbers
  // for graph labels", Graphics Gems (1990): the axis then starts and ends on a tick.
  function niceNum(range, round) {
    var exp = Math.floor(Math.log(range) / Math.LN10), f = range / Math.pow(10, exp), nf;
    if (round) { nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10; }
    else { nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10; }
    return nf * Math.pow(10, exp);
  }
  function niceScale(lo, hi, count) {
    if (!(hi > lo)) { var d = Math.abs(lo) * 0.1 || 1; lo -= d; hi += d; }
    var step = niceNum(niceNum(hi - lo, false) / ((count || 5) - 1), true);
    var start = Math.floor(lo / step) * step, end = Math.ceil(hi / step) * step, ticks = [];
    for (var v = start; v <= end + step / 2; v += step) { ticks.push(Math.round(v / step) * step); }
    return { lo: start, hi: end, step: step, ticks: ticks };
  }
  // A tick label with as many decimals as the step needs (never "99.3" on a round axis);
  // ``scale`` 100 shows shares as percentages.
  function tickLabel(v, step, scale, suffix) {
    v *= scale || 1; step *= scale || 1;
    var a = Math.abs(v), unit = "", div = 1;
    if (a >= 1e6 && step >= 1e5) { unit = "M"; div = 1e6; }
    else if (a >= 1e4 && step >= 1e3) { unit = "k"; div = 1e3; }
    var dec = Math.max(0, Math.ceil(-Math.log(step / div) / Math.LN10 - 1e-9));
    var text = (v / div).toLocaleString("en", { minimumFractionDigits: dec, maximumFractionDigits: dec });
    return (text === "-0" ? "0" : text) + unit + (suffix || "");
  }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : [];
  }
  function svgRoot(fig, w, h, label) {
    var svg = el("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", role: "img", "aria-label": label,
      xmlns: NS, "font-family": "DejaVu Sans, Arial, sans-serif", "font-size": "11" });
    el("rect", { x: 0, y: 0, width: w, height: h, fill: "#ffffff" }, svg);
    var cap = fig.querySelector("figcaption");
    fig.insertBefore(svg, cap);
    return svg;
  }

  // Export -------------------------------------------------------------------------------
  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function toCSV(rows) {
    if (!rows.length) return "";
    var cols = Object.keys(rows[0]);
    var esc = function (v) {
      if (v === null || v === undefined) return "";
      var s = String(v);
      return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return [cols.join(",")].concat(rows.map(function (r) { return cols.map(function (c) { return esc(r[c]); }).join(","); })).join("\n") + "\n";
  }
  function svgString(svg) {
    var clone = svg.cloneNode(true);
    clone.setAttribute("xmlns", NS);
    var vb = svg.viewBox.baseVal;
    clone.setAttribute("width", vb.width);
    clone.setAttribute("height", vb.height);
    return new XMLSerializer().serializeToString(clone);
  }
  function toolbar(fig, name, rowsFn) {
    var bar = document.createElement("div");
    bar.className = "obs-toolbar";
    [["CSV", function () { download(name + ".csv", new Blob([toCSV(rowsFn())], { type: "text/csv" })); }],
     ["SVG", function () { download(name + ".svg", new Blob([svgString(fig.querySelector("svg"))], { type: "image/svg+xml" })); }],
     ["PNG", function () {
        var svg = fig.querySelector("svg"), vb = svg.viewBox.baseVal, img = new Image(), scale = 2;
        img.onload = function () {
          var c = document.createElement("canvas");
          c.width = vb.width * scale; c.height = vb.height * scale;
          var ctx = c.getContext("2d");
          ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
          ctx.drawImage(img, 0, 0, c.width, c.height);
          c.toBlob(function (b) { download(name + ".png", b); }, "image/png");
        };
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgString(svg));
      }]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button"; btn.className = "obs-button"; btn.textContent = b[0];
      btn.setAttribute("aria-label", fmt(_("%s export: %s"), [b[0], name]));
      btn.dataset.export = b[0].toLowerCase();
      btn.addEventListener("click", b[1]);
      bar.appendChild(btn);
    });
    fig.insertBefore(bar, fig.firstChild);
  }

  // Charts -------------------------------------------------------------------------------
  function barChart(fig, rows) {
    var xk = fig.dataset.x, ys = fig.dataset.y.split(","), mark = fig.dataset.mark;
    var names = (fig.dataset.series || fig.dataset.y).split(",");
    rows = rows.filter(function (r) { return ys.some(function (y) { return r[y] !== null && r[y] !== undefined; }); });
    var top = fig.dataset.unit ? 18 : 0;
    var rowH = 8 + 14 * ys.length, left = 230, w = 680, h = top + 30 + rows.length * rowH + (ys.length > 1 ? 20 : 0);
    var vals = [0];
    rows.forEach(function (r) { ys.forEach(function (y) { if (r[y] !== null) vals.push(r[y]); }); });
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals), span = (hi - lo) || 1;
    var sx = function (v) { return left + (w - left - 60) * (v - lo) / span; };
    var svg = svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    if (top) { text(svg, left, 13, fig.dataset.unit, { "font-size": "11", "font-weight": "bold" }); }
    el("line", { x1: sx(0), x2: sx(0), y1: top + 10, y2: h - 10, stroke: "#555" }, svg);
    rows.forEach(function (r, i) {
      var y0 = top + 15 + i * rowH;
      text(svg, left - 6, y0 + rowH / 2, String(r[xk]).slice(0, 36), { "text-anchor": "end" });
      ys.forEach(function (y, j) {
        var v = r[y]; if (v === null || v === undefined) return;
        var x0 = sx(Math.min(0, v)), x1 = sx(Math.max(0, v));
        var colour = ys.length > 1 ? OKABE[j] : (mark && r[mark] ? OKABE[1] : OKABE[0]);
        var rect = el("rect", { x: x0, y: y0 + j * 14, width: Math.max(1, x1 - x0), height: 12, fill: colour }, svg);
        el("title", {}, rect).textContent = r[xk] + " — " + names[j] + ": " + num(v);
        text(svg, x1 + 3, y0 + j * 14 + 10, num(v), { "font-size": "10" });
      });
    });
    if (ys.length > 1) legend(svg, names, 10, h - 12);
  }
  function legend(svg, names, x, y) {
    names.forEach(function (n, j) {
      el("rect", { x: x, y: y - 9, width: 10, height: 10, fill: OKABE[j] }, svg);
      text(svg, x + 14, y, n);
      x += 24 + n.length * 6.5;
    });
  }
  function lineChart(fig, rows) {
    var xk = fig.dataset.x, ys = fig.dataset.y.split(","), names = (fig.dataset.series || fig.dataset.y).split(",");
    // The y-axis title sits above the plot (top margin t), clear of the tick labels at its left.
    var w = 640, h = 300, l = 70, r = 20, t = 34, b = 50;
    var xs = rows.map(function (d) { return d[xk]; });
    var vals = [];
    rows.forEach(function (d) { ys.forEach(function (y) { if (d[y] !== null && d[y] !== undefined) vals.push(d[y]); }); });
    if (!vals.length) return;
    var scale = niceScale(Math.min.apply(null, vals), Math.max.apply(null, vals), 5);
    var lo = scale.lo, hi = scale.hi;
    var sx = function (i) { return l + (w - l - r) * (xs.length > 1 ? i / (xs.length - 1) : 0.5); };
    var sy = function (v) { return t + (h - t - b) * (1 - (v - lo) / (hi - lo)); };
    var svg = svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    scale.ticks.forEach(function (v) {
      el("line", { x1: l, x2: w - r, y1: sy(v), y2: sy(v), stroke: "#e0e0e0" }, svg);
      text(svg, l - 6, sy(v) + 4, tickLabel(v, scale.step), { "text-anchor": "end", "class": "obs-tick" });
    });
    xs.forEach(function (x, i) { text(svg, sx(i), h - b + 16, x, { "text-anchor": "middle" }); });
    if (fig.dataset.ylabel) text(svg, 8, 14, fig.dataset.ylabel, { "font-size": "11", "class": "obs-axis-title" });
    ys.forEach(function (y, j) {
      var pts = [];
      rows.forEach(function (d, i) { if (d[y] !== null && d[y] !== undefined) pts.push([sx(i), sy(d[y]), d]); });
      el("polyline", { points: pts.map(function (p) { return p[0] + "," + p[1]; }).join(" "), fill: "none",
        stroke: OKABE[j], "stroke-width": 2.5, "stroke-dasharray": j ? "6 3" : "" }, svg);
      pts.forEach(function (p) {
        var c = el("circle", { cx: p[0], cy: p[1], r: 3.5, fill: OKABE[j] }, svg);
        var st = p[2].employment_status;
        if (y === "employment" && (st === "imputed" || st === "partly_imputed")) {
          c.setAttribute("fill", "#fff"); c.setAttribute("stroke", OKABE[j]); c.setAttribute("stroke-width", 2);
        }
        el("title", {}, c).textContent = names[j] + " " + p[2][xk] + ": " + num(p[2][y]) + (st && y === "employment" && st !== "reported" ? " (" + _(st.replace("_", " ")) + ")" : "");
      });
    });
    legend(svg, names, l, h - 10);
  }
  function bubbleChart(fig, rows) {
    var d = fig.dataset, w = 640, h = 420, l = 70, r = 30, t = 34, b = 56;
    rows = rows.filter(function (p) { return p[d.x] !== null && p[d.y] !== null; });
    if (!rows.length) return;
    var xv = rows.map(function (p) { return p[d.x]; }), yv = rows.map(function (p) { return p[d.y]; });
    var xs = niceScale(Math.min(0, Math.min.apply(null, xv)), Math.max(0, Math.max.apply(null, xv)), 6);
    var ys = niceScale(0, Math.max.apply(null, yv) || 1, 5);
    var xl = xs.lo, xh = xs.hi, yl = ys.lo, yh = ys.hi;
    var rmax = Math.max.apply(null, rows.map(function (p) { return p[d.r] || 0; })) || 1;
    var sx = function (v) { return l + (w - l - r) * (v - xl) / (xh - xl); };
    var sy = function (v) { return t + (h - t - b) * (1 - (v - yl) / (yh - yl)); };
    var svg = svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    el("line", { x1: sx(0), x2: sx(0), y1: t, y2: h - b, stroke: "#888", "stroke-dasharray": "4 3" }, svg);
    el("line", { x1: l, x2: w - r, y1: h - b, y2: h - b, stroke: "#555" }, svg);
    ys.ticks.forEach(function (v) {
      text(svg, l - 6, sy(v) + 4, tickLabel(v, ys.step, 100, "%"), { "text-anchor": "end", "class": "obs-tick" });
    });
    xs.ticks.forEach(function (v) {
      text(svg, sx(v), h - b + 16, tickLabel(v, xs.step, 100), { "text-anchor": "middle", "class": "obs-tick" });
    });
    // Axis titles outside the tick labels: x below them, y above the plot.
    text(svg, (l + w - r) / 2, h - 12, d.xlabel || d.x, { "text-anchor": "middle", "font-size": "11", "class": "obs-axis-title" });
    text(svg, 8, 14, d.ylabel || d.y, { "font-size": "11", "class": "obs-axis-title" });
    rows.slice().sort(function (a, c) { return (c[d.r] || 0) - (a[d.r] || 0); }).forEach(function (p) {
      var rad = 3 + 22 * Math.sqrt((p[d.r] || 0) / rmax), strong = d.mark && p[d.mark];
      var c = el("circle", { cx: sx(p[d.x]), cy: sy(p[d.y]), r: rad, fill: OKABE[0], "fill-opacity": 0.55,
        stroke: strong ? OKABE[1] : "#fff", "stroke-width": strong ? 3 : 1 }, svg);
      el("title", {}, c).textContent = fmt(_("%s: share %s%, change %s pp, employment %s"),
        [p[d.label], (100 * p[d.y]).toFixed(2), (100 * p[d.x]).toFixed(3), num(p[d.r])]) + (strong ? " " + _("(strong)") : "");
      if (rad > 12) text(svg, sx(p[d.x]), sy(p[d.y]) + 3, String(p[d.label]).slice(0, 14), { "text-anchor": "middle", "font-size": "9" });
    });
  }
  function splitChart(fig, rows) {
    var w = 640, h = 80, total = rows.reduce(function (s, r) { return s + (r[fig.dataset.y] || 0); }, 0) || 1, x = 10;
    var svg = svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    rows.forEach(function (r, j) {
      var v = r[fig.dataset.y] || 0, ww = (w - 20) * v / total;
      var rect = el("rect", { x: x, y: 10, width: ww, height: 36, fill: OKABE[j] }, svg);
      el("title", {}, rect).textContent = r[fig.dataset.x] + ": " + num(v);
      text(svg, x + 4, 64, r[fig.dataset.x] + " " + (100 * v / total).toFixed(1) + "% (" + num(v) + (fig.dataset.unit ? " " + fig.dataset.unit : "") + ")");
      x += ww;
    });
  }
  function graphChart(fig, g) {
    var w = 640, h = 440, cx = w / 2, cy = h / 2, R = 170;
    var svg = svgRoot(fig, w, h, fig.querySelector("figcaption").textContent.trim());
    var pos = {}, others = g.nodes.slice(1);
    if (!g.nodes.length) return;
    pos[g.nodes[0].cluster_code] = [cx, cy];
    others.forEach(function (n, i) {
      var a = 2 * Math.PI * i / Math.max(others.length, 1);
      pos[n.cluster_code] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
    });
    g.links.forEach(function (lk) {
      var a = pos[lk.source], b = pos[lk.target]; if (!a || !b) return;
      el("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: "#555",
        "stroke-width": lk.relatedness === "strong" ? 3 : 1, "stroke-dasharray": lk.relatedness === "strong" ? "" : "4 3" }, svg);
    });
    g.nodes.forEach(function (n, i) {
      var p = pos[n.cluster_code], colour = n.strong === true ? OKABE[1] : (n.strong === false ? OKABE[0] : "#999");
      var c = el("circle", { cx: p[0], cy: p[1], r: i ? 9 : 14, fill: colour, stroke: "#fff", "stroke-width": 2 }, svg);
      el("title", {}, c).textContent = n.cluster_name + (n.lq_traded_local !== null ? " — LQ " + num(n.lq_traded_local) : "") + (n.strong ? " " + _("(strong)") : "");
      text(svg, p[0], p[1] + (p[1] >= cy ? 24 : -14), String(n.cluster_name).slice(0, 26), { "text-anchor": "middle", "font-size": "10" });
    });
  }
  // Chart kinds of other pages (e.g. complexity.js) register here and reuse these helpers.
  var EXTRA_KINDS = {};
  window.clusterobsCharts = {
    register: function (kind, draw) { EXTRA_KINDS[kind] = draw; },
    el: el, text: text, num: num, svgRoot: svgRoot, legend: legend, OKABE: OKABE, gettext: _, interpolate: fmt
  };
  function initCharts() {
    document.querySelectorAll("figure.obs-chart").forEach(function (fig) {
      var rows = data(fig.dataset.source), kind = fig.dataset.kind;
      var draw = ({ bar: barChart, line: lineChart, bubble: bubbleChart, pie: splitChart, graph: graphChart })[kind] || EXTRA_KINDS[kind];
      if (!draw) return;
      draw(fig, rows);
      toolbar(fig, fig.dataset.name, function () {
        return kind === "graph" ? rows.links.map(function (l) { return Object.assign({}, l); }).concat(rows.nodes) : rows;
      });
    });
  }

  // Maps ---------------------------------------------------------------------------------
  // d3's geoAlbersUsa (scale 1300, translate [487.5, 305]) re-implemented: conic equal-area
  // for the lower 48, Alaska (scale x 0.35) and Hawaii, as in the us-atlas albers files.
  function conic(p0, p1, rot, center, k, tx, ty) {
    var rad = Math.PI / 180, s0 = Math.sin(p0 * rad), n = (s0 + Math.sin(p1 * rad)) / 2;
    var c = 1 + s0 * (2 * n - s0), r0 = Math.sqrt(c) / n;
    function raw(l, f) {
      var r = Math.sqrt(Math.max(0, c - 2 * n * Math.sin(f))) / n;
      return [r * Math.sin(l * n), r0 - r * Math.cos(l * n)];
    }
    var cc = raw(center[0] * rad, center[1] * rad), dx = tx - k * cc[0], dy = ty + k * cc[1];
    return function (lon, lat) {
      var l = lon + rot;
      l = ((l + 540) % 360) - 180;
      var p = raw(l * rad, lat * rad);
      return [dx + k * p[0], dy - k * p[1]];
    };
  }
  var K = 1300, TX = 487.5, TY = 305;
  var lower48 = conic(29.5, 45.5, 96, [-0.6, 38.7], K, TX, TY);
  var alaska = conic(55, 65, 154, [-2, 58.5], K * 0.35, TX - 0.307 * K, TY + 0.201 * K);
  var hawaii = conic(8, 18, 157, [-3, 19.9], K, TX - 0.205 * K, TY + 0.212 * K);
  function albersUsa(lon, lat) {
    if (lat > 50 && (lon < -129 || lon > 170)) return alaska(lon, lat);
    if (lat < 23 && lon < -150) return hawaii(lon, lat);
    return lower48(lon, lat);
  }
  function pathOf(geom, project) {
    var d = "";
    function ring(r) { r.forEach(function (c, i) { var p = project(c[0], c[1]); d += (i ? "L" : "M") + p[0].toFixed(1) + "," + p[1].toFixed(1); }); d += "Z"; }
    if (!geom) return d;
    if (geom.type === "Polygon") geom.coordinates.forEach(ring);
    else if (geom.type === "MultiPolygon") geom.coordinates.forEach(function (poly) { poly.forEach(ring); });
    return d;
  }
  var ATLAS = { state: ["states-10m.json", "states"], county: ["counties-10m.json", "counties"] };
  function loadFeatures(type) {
    if (ATLAS[type]) {
      return fetch(STATIC_ROOT + "observatory/vendor/us-atlas/" + ATLAS[type][0]).then(function (r) { return r.json(); })
        .then(function (topo) {
          return { project: albersUsa, w: 975, h: 610,
            features: topojson.feature(topo, topo.objects[ATLAS[type][1]]).features.map(function (f) { return { code: String(f.id), name: f.properties.name, geometry: f.geometry }; }) };
        });
    }
    // Other boundaries: the regions app (clusterobs regions import), equirectangular fit.
    return fetch("/api/regions/geojson/?level=" + encodeURIComponent(type)).then(function (r) { return r.json(); }).then(function (fc) {
      var feats = (fc.features || []).filter(function (f) { return f.geometry; });
      var b = [180, 90, -180, -90];
      feats.forEach(function (f) { pathOf(f.geometry, function (x, y) { b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y); return [0, 0]; }); });
      var w = 975, h = 610, cos = Math.cos((b[1] + b[3]) / 2 * Math.PI / 180), s = Math.min(w / ((b[2] - b[0]) * cos || 1), h / ((b[3] - b[1]) || 1));
      return { w: w, h: h, project: function (x, y) { return [(x - b[0]) * cos * s, (b[3] - y) * s]; },
        features: feats.map(function (f) { return { code: f.properties.code, name: f.properties.name, geometry: f.geometry }; }) };
    });
  }
  function initMap(fig) {
    var type = fig.dataset.type, picker = !!fig.dataset.picker;
    var values = fig.dataset.api ? fetch(fig.dataset.api, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }) : Promise.resolve(null);
    var exportRows = [];
    Promise.all([loadFeatures(type), values]).then(function (res) {
      var geo = res[0], vals = res[1], byCode = {};
      if (vals) vals.tables.values.rows.forEach(function (r) { byCode[r.region_code] = r; });
      var svg = svgRoot(fig, geo.w, geo.h + (vals ? 40 : 0), fig.querySelector("figcaption").textContent.trim());
      svg.classList.add("obs-map-svg");
      var g = el("g", { class: "regions" }, svg), bubbles = el("g", { class: "bubbles" }, svg);
      var maxE = 1;
      if (vals) vals.tables.values.rows.forEach(function (r) { maxE = Math.max(maxE, r.employment || 0); });
      geo.features.forEach(function (f) {
        var v = byCode[f.code];
        if (vals && !v && Object.keys(byCode).length) { /* region not in the result */ }
        var fill = v ? v.color : (vals ? vals.no_data : "#e8e8e8");
        var p = el("path", { d: pathOf(f.geometry, geo.project), fill: fill, stroke: "#fff", "stroke-width": 0.6,
          "data-code": f.code, tabindex: (v || picker) ? 0 : -1, role: (v || picker) ? "button" : "presentation",
          "aria-label": (v ? v.name : f.name || f.code) + (v ? ": " + (v.value === null ? _("no data") : num(v.value)) : "") }, g);
        el("title", {}, p).textContent = (v ? v.name : f.name || f.code) + (v ? ": " + (v.value === null ? _("no data") : num(v.value)) + (v.employment_status && v.employment_status !== "reported" && v.employment_status !== "none" ? " (" + fmt(_("%s employment"), [_(v.employment_status.replace("_", " "))]) + ")" : "") : "");
        if (v) exportRows.push({ region_code: v.region_code, name: v.name, value: v.value, color: v.color });
        function activate() {
          if (picker) { fig.dispatchEvent(new CustomEvent("obs:pick", { detail: f.code })); return; }
          if (v && fig.dataset.regionUrl) window.location = fig.dataset.regionUrl.replace("CODE", f.code);
        }
        p.addEventListener("click", activate);
        p.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); } });
        if (v && fig.dataset.bubbles && v.employment) {
          var bb = p.getBBox();
          var c = el("circle", { cx: bb.x + bb.width / 2, cy: bb.y + bb.height / 2, r: 2 + 22 * Math.sqrt(v.employment / maxE),
            fill: OKABE[1], "fill-opacity": 0.6, stroke: "#000", "stroke-width": 0.5, "pointer-events": "none" }, bubbles);
          el("title", {}, c).textContent = fmt(_("%s: employment %s"), [v.name, num(v.employment)]);
        }
      });
      if (vals) mapLegend(svg, vals, geo.h + 8);
      if (fig.dataset.orgs && ATLAS[type]) {
        fetch(fig.dataset.orgs).then(function (r) { return r.json(); }).then(function (pts) {
          var layer = el("g", { class: "organisations" }, svg);
          (pts.features || pts.points || pts || []).forEach(function (pt) {
            var lon = pt.longitude !== undefined ? pt.longitude : (pt.geometry ? pt.geometry.coordinates[0] : null);
            var lat = pt.latitude !== undefined ? pt.latitude : (pt.geometry ? pt.geometry.coordinates[1] : null);
            if (lon === null || lat === null || lat < 15 || lon > -60) return;
            var q = albersUsa(lon, lat);
            var c = el("circle", { cx: q[0], cy: q[1], r: 3, fill: "#000", stroke: "#fff", "stroke-width": 1 }, layer);
            el("title", {}, c).textContent = (pt.name || (pt.properties || {}).name || "");
          });
        }).catch(function () {});
      }
      fig.dataset.ready = "1";
      fig.dispatchEvent(new CustomEvent("obs:ready"));
    });
    if (!picker) toolbar(fig, fig.dataset.name, function () { return exportRows; });
  }
  function mapLegend(svg, vals, y) {
    var x = 20, lab = vals.indicator_label;
    text(svg, x, y + 12, lab, { "font-size": "12" });
    x += lab.length * 6.5 + 16;
    var edges = [null].concat(vals.breaks).concat([null]);
    vals.palette.forEach(function (c, i) {
      if (i >= edges.length - 1 && vals.breaks.length) return;
      el("rect", { x: x, y: y, width: 16, height: 16, fill: c }, svg);
      var lo = edges[i], hi = edges[i + 1];
      var s = lo === null ? "< " + num(hi) : (hi === null ? "≥ " + num(lo) : num(lo) + "–" + num(hi));
      text(svg, x + 20, y + 12, s, { "font-size": "11" });
      x += 34 + s.length * 6.5;
    });
    el("rect", { x: x, y: y, width: 16, height: 16, fill: vals.no_data }, svg);
    text(svg, x + 20, y + 12, _("no data"), { "font-size": "11" });
  }

  // Search autocomplete (ARIA combobox) -------------------------------------------------------
  function initSearch(input) {
    var list = document.getElementById(input.getAttribute("aria-controls")), items = [], active = -1, timer;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function show(results) {
      items = results; list.innerHTML = ""; active = -1;
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = "obs-opt-" + i; li.setAttribute("role", "option");
        li.innerHTML = "<span></span> <small></small>";
        li.firstChild.textContent = r.label;
        li.lastChild.textContent = r.kind + (r.detail ? " — " + r.detail : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location = r.url; });
        list.appendChild(li);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }
    function move(d) {
      if (!items.length) return;
      active = (active + d + items.length) % items.length;
      list.querySelectorAll("li").forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", "obs-opt-" + active);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.api + (input.dataset.api.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(show);
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Escape") close();
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location = items[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  // Jobs and the custom region builder --------------------------------------------------------
  function poll(box, url, onDone) {
    var bar = box.querySelector("progress"), status = box.querySelector("[role=status]");
    box.hidden = false;
    (function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
        bar.value = j.progress; status.textContent = j.status + " — " + j.message;
        if (j.status === "done") onDone(j);
        else if (j.status === "failed") box.classList.add("obs-failed");
        else setTimeout(tick, 400);
      });
    })();
  }
  function initBuilder(form) {
    var fig = form.querySelector("figure.obs-map");
    function sync() {
      var chosen = {};
      form.querySelectorAll("input[name=members]:checked").forEach(function (c) { chosen[c.value] = true; });
      if (fig) fig.querySelectorAll("path[data-code]").forEach(function (p) {
        var on = !!chosen[p.dataset.code];
        p.setAttribute("fill", on ? "#E69F00" : "#cfd8dc");
        p.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    if (fig) {
      fig.addEventListener("obs:pick", function (e) {
        var box = form.querySelector("input[name=members][value='" + e.detail + "']");
        if (box) { box.checked = !box.checked; sync(); }
      });
      fig.addEventListener("obs:ready", sync);
    }
    form.addEventListener("change", sync);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var members = Array.prototype.map.call(form.querySelectorAll("input[name=members]:checked"), function (c) { return c.value; });
      fetch(form.dataset.api, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
        body: JSON.stringify({ name: form.elements.name.value, members: members, shared: form.elements.shared.checked, region_type: form.elements.region_type.value })
      }).then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); }).then(function (res) {
        var box = form.querySelector(".obs-job");
        if (res[0] !== 201) { box.hidden = false; box.querySelector("[role=status]").textContent = JSON.stringify(res[1]); return; }
        poll(box, form.dataset.jobApi.replace(/0\/$/, res[1].job.id + "/"), function () {
          window.location = form.dataset.detailUrl.replace(/0\/$/, res[1].id + "/");
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    document.querySelectorAll("form[data-autosubmit] input[type=checkbox]").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    initCharts();
    document.querySelectorAll("figure.obs-map").forEach(initMap);
    document.querySelectorAll("input[role=combobox][data-api]").forEach(initSearch);
    document.querySelectorAll("#custom-region-form").forEach(initBuilder);
    document.querySelectorAll("[data-add-code]").forEach(function (b) {
      b.addEventListener("click", function () {
        var area = document.getElementById("industry-codes");
        if (!area) return;
        var codes = area.value.split(/[\s,]+/).filter(Boolean);
        if (codes.indexOf(b.dataset.addCode) < 0) codes.push(b.dataset.addCode);
        area.value = codes.join(" ");
        b.setAttribute("aria-pressed", "true");
      });
    });
    document.querySelectorAll(".obs-job[data-job-api][data-reload]").forEach(function (box) {
      poll(box, box.dataset.jobApi, function () { window.location.reload(); });
    });
  });
  // Shared with the spatial pages (spatial.js): drawing, projection and export helpers.
  window.ClusterObs = { el: el, text: text, num: num, data: data, svgRoot: svgRoot, toolbar: toolbar,
    loadFeatures: loadFeatures, pathOf: pathOf, OKABE: OKABE, gettext: _, interpolate: fmt };
})();
