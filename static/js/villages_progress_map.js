// Kelana/Dekela progress map (layak.villages): the points from data-src (JSON: fields + rows), coloured by the
// checklist state of each desa (a kab/kota) or by the share of villages that sent theirs (a province, the country).
// The tile layer is data-tiles (empty: no tiles, points on a blank map); the table below the map lists the same.
(function () {
  "use strict";
  var COLOURS = {none: "#9ca3af", some: "#ca8a04", sent: "#1d4ed8", verified: "#15803d"};
  var STATE = ["none", "sent", "verified"];

  function number(n) {
    return Number(n).toLocaleString(document.documentElement.lang || "id");
  }

  function share(r) {
    if (!r.desa || !r.answered) return "none";
    if (r.answered >= r.desa) return "verified";
    return r.answered * 2 >= r.desa ? "sent" : "some";
  }

  function credit(map, element) {
    // Where the region points come from (their licences ask for it): data/regions/README.md.
    var text = element.dataset.pointsCredit;
    if (text && map.attributionControl) {
      map.attributionControl.addAttribution(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    }
  }

  function draw(element) {
    var map = L.map(element, {scrollWheelZoom: false, maxZoom: 18}).setView([-2.5, 118], 4);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {maxZoom: 18, attribution: "&copy; OpenStreetMap contributors"}).addTo(map);
    }
    credit(map, element);
    fetch(element.dataset.src, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var desaLevel = element.dataset.desaLevel === "1";
        var bounds = [];
        data.rows.forEach(function (row) {
          var r = {};
          data.fields.forEach(function (name, i) { r[name] = row[i]; });
          var kind = desaLevel ? STATE[r.state] : share(r);
          var text = desaLevel ? element.getAttribute("data-state-" + r.state)
            : element.dataset.sentOf.replace("{answered}", number(r.answered)).replace("{desa}", number(r.desa)).replace("{verified}", number(r.verified));
          var marker = L.circleMarker([r.lat, r.lon], {radius: desaLevel ? 5 : 8, color: "#ffffff", weight: 1, fillColor: COLOURS[kind], fillOpacity: 0.9});
          var box = document.createElement("div");
          var title = document.createElement("strong");
          title.textContent = r.name;
          box.appendChild(title);
          box.appendChild(document.createElement("br"));
          box.appendChild(document.createTextNode(text));
          marker.bindPopup(box);
          marker.addTo(map);
          bounds.push([r.lat, r.lon]);
        });
        if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.1));
        element.classList.add("is-ready");
        element.dataset.count = String(bounds.length);
      });
  }

  function start() {
    if (typeof L === "undefined") return;
    var element = document.getElementById("progress-map");
    if (element) draw(element);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
