// Facility maps (layak.facilities). Two uses:
// - #facility-map: the kab/kota's facilities from data-src (JSON), clustered with Leaflet.markercluster, coloured by
//   status, zones joined by a line; the tile layer is data-tiles (empty: no tiles, markers on a blank map);
// - #facility-point-map on the facility form: a click fills in the latitude and longitude fields.
(function () {
  "use strict";
  var COLOURS = {certified: "#15803d", expiring: "#ca8a04", proposed: "#1d4ed8", assessed: "#1d4ed8", listed: "#6b7280", expired: "#b91c1c", revoked: "#b91c1c"};
  var JAKARTA = [-6.2, 106.85];

  function tiles(map, element) {
    var url = element.dataset.tiles;
    if (url) {
      L.tileLayer(url, {maxZoom: 19, attribution: "&copy; OpenStreetMap contributors"}).addTo(map);
    }
  }

  function credit(map, element) {
    // Where the region points come from (their licences ask for it): data/regions/README.md.
    var text = element.dataset.pointsCredit;
    if (text && map.attributionControl) {
      map.attributionControl.addAttribution(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    }
  }

  function rows(data) {
    // Each facility comes as a list in the order of data.fields; words for kinds and statuses come once.
    return data.facilities.map(function (row) {
      var f = {};
      data.fields.forEach(function (name, i) { f[name] = row[i]; });
      f.kind_name = data.kinds[f.kind] || f.kind;
      f.status_label = data.statuses[f.status] || f.status;
      f.url = data.url.replace("{id}", String(f.id));
      return f;
    });
  }

  function popup(f) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = f.url;
    link.textContent = f.name;
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(f.kind_name + " · " + f.status_label + " · " + f.desa));
    return box;
  }

  function drawRegion(element) {
    var map = L.map(element, {scrollWheelZoom: false, maxZoom: 19}).setView(JAKARTA, 11);
    tiles(map, element);
    credit(map, element);
    fetch(element.dataset.src, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var group = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({maxClusterRadius: 40}) : L.featureGroup();
        var byId = {};
        var facilities = rows(data);
        facilities.forEach(function (f) {
          var colour = f.expiring ? COLOURS.expiring : (COLOURS[f.status] || COLOURS.listed);
          var marker = L.circleMarker([f.lat, f.lon], {radius: 7, color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.9});
          marker.bindPopup(popup(f));
          group.addLayer(marker);
          byId[f.id] = f;
        });
        map.addLayer(group);
        // Desa/kelurahan lacking a service kind, at the centre of their boundary (a dashed ring, not a facility).
        var gapFields = data.gap_fields || [];
        (data.gaps || []).forEach(function (row) {
          var g = {};
          gapFields.forEach(function (name, i) { g[name] = row[i]; });
          var ring = L.circleMarker([g.lat, g.lon], {radius: 9, color: "#be185d", weight: 2, dashArray: "3", fill: false});
          var missing = g.missing.map(function (code) { return data.kinds[code] || code; }).join(", ");
          var box = document.createElement("div");
          var title = document.createElement("strong");
          title.textContent = g.name + " (" + g.kecamatan + ")";
          box.appendChild(title);
          box.appendChild(document.createElement("br"));
          box.appendChild(document.createTextNode((element.dataset.lacks || "") + " " + missing));
          ring.bindPopup(box);
          ring.addTo(map);
        });
        data.zones.forEach(function (zone) {
          var points = zone.members.map(function (id) { return byId[id]; }).filter(Boolean).map(function (f) { return [f.lat, f.lon]; });
          if (points.length > 1) {
            L.polyline(points, {color: "#7e22ce", weight: 2, dashArray: "4"}).bindTooltip(zone.name).addTo(map);
          }
        });
        var all = facilities.map(function (f) { return [f.lat, f.lon]; }).concat(
          (data.gaps || []).map(function (row) { return [row[gapFields.indexOf("lat")], row[gapFields.indexOf("lon")]]; }));
        if (all.length) {
          map.fitBounds(L.latLngBounds(all).pad(0.1));
        }
        element.classList.add("is-ready");
        element.dataset.count = String(facilities.length);
        element.dataset.gaps = String((data.gaps || []).length);
      });
  }

  function drawPicker(element) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!lat || !lon) return;
    var start = lat.value && lon.value ? [parseFloat(lat.value.replace(",", ".")), parseFloat(lon.value.replace(",", "."))] : JAKARTA;
    var map = L.map(element, {scrollWheelZoom: false, maxZoom: 19}).setView(start, lat.value ? 15 : 11);
    tiles(map, element);
    var marker = lat.value ? L.marker(start).addTo(map) : null;
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
    });
  }

  function start() {
    if (typeof L === "undefined") return;
    var region = document.getElementById("facility-map");
    if (region) drawRegion(region);
    var picker = document.getElementById("facility-point-map");
    if (picker) drawPicker(picker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
