/* Maps of the registry with the vendored Leaflet. No tile server is used: the platform must
 * work air-gapped, so imported region boundaries are the base layer on a plain background. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  // Django's JavaScript catalog (jsi18n, loaded by the map pages) translates; English without it.
  var _ = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var fmt = window.interpolate || function (f, args) {
    var i = 0; return f.replace(/%s/g, function () { return args[i++]; });
  };

  var COLORS = { cluster: "#e76f51", organisation: "#2a6f97" };
  var BOUNDARY_STYLE = { color: "#5c7080", weight: 1, fillColor: "#f8faf7", fillOpacity: 1 };

  var LAND_STYLE = { stroke: true, color: "#b9c3bb", weight: 0.6, fillColor: "#eceee6",
                     fillOpacity: 1, interactive: false };

  function newMap(el) {
    var map = L.map(el, { attributionControl: true, zoomSnap: 0.25, worldCopyJump: true })
      .setView([20, 0], 2);
    // The vendored Natural Earth land outline stands in for a tile layer (none is reachable).
    map.createPane("land").style.zIndex = 300;
    map.createPane("boundaries").style.zIndex = 350;
    if (el.dataset.landUrl) {
      fetch(el.dataset.landUrl)
        .then(function (r) { return r.json(); })
        .then(function (data) {
          L.geoJSON(data, { pane: "land", style: LAND_STYLE, interactive: false }).addTo(map);
          map.attributionControl.addAttribution("Land: Natural Earth");
        })
        .catch(function () { /* boundaries and points still show */ });
    }
    return map;
  }

  // Names come from the database: Leaflet inserts a string tooltip as HTML, so every tooltip is
  // a DOM node whose text is set with textContent (a name "<img onerror=...>" shows as text).
  function textNode(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    var strong = document.createElement("strong");
    strong.appendChild(link);
    box.appendChild(strong);
    if (props.detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(props.detail));
    }
    return box;
  }

  function pointLayer(features) {
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      pointToLayer: function (feature, latlng) {
        var kind = feature.properties.kind;
        return L.circleMarker(latlng, {
          radius: kind === "cluster" ? 7 : 5,
          color: "#ffffff", weight: 1.5,
          fillColor: COLORS[kind] || "#444", fillOpacity: 0.9
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature.properties));
        layer.bindTooltip(textNode(feature.properties.name));
      }
    });
  }

  // Bounds of a GeoJSON layer that stay tight across the antimeridian: the U.S. states reach
  // from the Aleutians (east of 180°) to Maine, which Leaflet's getBounds() turns into the whole
  // world. Longitudes are also read shifted into [0°, 360°); the narrower of the two spans wins,
  // moved back so that its centre lies in [-180°, 180°].
  function tightBounds(layer) {
    var box = { w: 180, e: -180, ws: 360, es: 0, s: 90, n: -90, any: false };
    layer.eachLayer(function (l) {
      var b = l.getBounds ? l.getBounds() : null;
      if (!b || !b.isValid()) { return; }
      var parts = l.getLatLngs ? flatten(l.getLatLngs()) : [b.getSouthWest(), b.getNorthEast()];
      parts.forEach(function (p) {
        var s = p.lng < 0 ? p.lng + 360 : p.lng;
        box.w = Math.min(box.w, p.lng); box.e = Math.max(box.e, p.lng);
        box.ws = Math.min(box.ws, s); box.es = Math.max(box.es, s);
        box.s = Math.min(box.s, p.lat); box.n = Math.max(box.n, p.lat);
        box.any = true;
      });
    });
    if (!box.any) { return null; }
    var west = box.w, east = box.e;
    if (box.es - box.ws < east - west) {
      var shift = (box.ws + box.es) / 2 > 180 ? -360 : 0;
      west = box.ws + shift; east = box.es + shift;
    }
    return L.latLngBounds([box.s, west], [box.n, east]);
  }

  function flatten(latlngs) {
    var out = [];
    (function walk(a) {
      a.forEach(function (x) { if (Array.isArray(x)) { walk(x); } else { out.push(x); } });
    })(latlngs);
    return out;
  }

  // Fits jump without animation: the view is final when the call returns (a click or a test
  // right after the data loaded must not land in the middle of a zoom).
  function fitTo(map, bounds, padding) {
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: padding || [10, 10], animate: false });
    }
  }

  function boundaryLayer(geojson, pane) {
    return L.geoJSON(geojson, {
      pane: pane || "overlayPane",
      style: BOUNDARY_STYLE,
      onEachFeature: function (feature, layer) {
        if (feature.properties && feature.properties.name) {
          layer.bindTooltip(textNode(feature.properties.name), { sticky: true });
        }
      }
    });
  }

  function detailMap(el) {
    var map = newMap(el);
    el.leafletMap = map;
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var geometryNode = document.getElementById("state-geometry");
    var geometry = geometryNode ? JSON.parse(geometryNode.textContent) : null;
    if (geometry) {
      var state = boundaryLayer({ type: "Feature", geometry: geometry, properties: {} }, "boundaries")
        .addTo(map);
      fitTo(map, tightBounds(state));
    } else {
      // No state recorded: draw the country's imported states (if any) around the point.
      map.setView([lat, lon], 6);
      if (el.dataset.geojsonUrl && el.dataset.country) {
        fetch(el.dataset.geojsonUrl + "?level=state&country=" + encodeURIComponent(el.dataset.country),
              { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            if (data.features && data.features.length) { boundaryLayer(data, "boundaries").addTo(map); }
          })
          .catch(function () { /* the point alone is still shown */ });
      }
    }
    L.circleMarker([lat, lon], {
      radius: 8, color: "#ffffff", weight: 2, fillColor: COLORS.cluster, fillOpacity: 0.95
    }).bindTooltip(textNode(el.dataset.name)).addTo(map);
  }

  function registryMap(el) {
    var map = newMap(el);
    var status = document.getElementById("map-status");
    var select = document.getElementById("boundary-layer");
    var boundaries = null, points = null, summary = "";

    function say(text) { if (status) { status.textContent = text; } }

    function loadBoundaries() {
      if (boundaries) { map.removeLayer(boundaries); boundaries = null; }
      if (!select || !select.value) { return Promise.resolve(); }
      say(_("Loading boundaries…"));
      return fetch(el.dataset.geojsonUrl + "?" + select.value, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          boundaries = boundaryLayer(data, "boundaries");
          boundaries.addTo(map);
          // The boundaries the user chose to see set the view (points elsewhere stay a pan away).
          fitTo(map, tightBounds(boundaries));
          el.dataset.fitted = "boundaries";
          say(summary);
        });
    }

    function loadPoints() {
      return fetch(el.dataset.pointsUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          points = pointLayer(data.features).addTo(map);
          var n = data.features.length;
          summary = fmt(ngettext("%s place shown.", "%s places shown.", n), [n]);
          say(summary);
          if (n > 0) { map.fitBounds(points.getBounds(), { padding: [30, 30], maxZoom: 8, animate: false }); }
          el.dataset.fitted = "points";
        });
    }

    if (select) {
      select.addEventListener("change", function () {
        loadBoundaries().then(function () {
          // Back to "None": the points set the view again.
          if (!boundaries && points && points.getLayers().length) {
            map.fitBounds(points.getBounds(), { padding: [30, 30], maxZoom: 8, animate: false });
            el.dataset.fitted = "points";
          }
        });
      });
    }
    el.leafletMap = map;
    loadPoints().then(loadBoundaries).catch(function (err) { say(fmt(_("Map data failed to load: %s"), [String(err)])); });
  }

  var controls = document.getElementById("map-controls");
  if (controls) { controls.addEventListener("submit", function (e) { e.preventDefault(); }); }
  var detail = document.getElementById("detail-map");
  if (detail) { detailMap(detail); }
  var big = document.getElementById("registry-map");
  if (big) { registryMap(big); }
})();
