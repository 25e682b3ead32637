// The national map: one circle per kab/kota coloured by its predicate. The data comes from a json_script
// element on the page; without JavaScript the same data is in the ranking table.
(function () {
  "use strict";
  var COLOURS = {none: "#6b7280", pratama: "#a16207", madya: "#0f766e", nindya: "#1d4ed8", utama: "#7e22ce", kla: "#15803d"};

  function popup(point, approximateLabel) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(point.label + " · " + Layak.formatNumber(point.score, 2)));
    if (point.approximate) {
      var note = document.createElement("em");
      note.textContent = " (" + approximateLabel + ")";
      box.appendChild(note);
    }
    return box;
  }

  function draw() {
    var element = document.getElementById("dashboards-map");
    var data = document.getElementById("dashboards-map-points");
    if (!element || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    var map = L.map(element, {scrollWheelZoom: false}).setView([-2.5, 118], 4);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 12,
      attribution: "&copy; OpenStreetMap contributors"
    }).addTo(map);
    var approximateLabel = element.dataset.approximateLabel || "approximate";
    points.forEach(function (point) {
      L.circleMarker([point.lat, point.lon], {
        radius: 6,
        color: "#ffffff",
        weight: 1,
        dashArray: point.approximate ? "2" : null,
        fillColor: COLOURS[point.band] || COLOURS.none,
        fillOpacity: point.approximate ? 0.55 : 0.9
      }).bindPopup(popup(point, approximateLabel)).addTo(map);
    });
    element.classList.add("is-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
