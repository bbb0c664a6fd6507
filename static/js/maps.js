// Maps of the directory (Leaflet). Everything a map shows is also in the page's text: a map only
// adds a picture of where things are.
(function () {
  "use strict";

  function baseMap(element, options) {
    var map = L.map(element, options);
    L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.attribution,
      maxZoom: 18,
    }).addTo(map);
    return map;
  }

  // One organisation's place, on its profile.
  function placeMap(element) {
    var position = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var map = baseMap(element, { scrollWheelZoom: false }).setView(position, 12);
    L.circleMarker(position, { radius: 9, color: "#0d5c63", weight: 3, fillOpacity: 0.6 })
      .addTo(map)
      .bindTooltip(element.dataset.name);
  }

  // The places a project works in: a marker for each, the map fitted around them.
  function placesMap(element) {
    var places = JSON.parse(element.dataset.places);
    var map = baseMap(element, { scrollWheelZoom: false });
    var markers = places.map(function (place) {
      return L.circleMarker([place[0], place[1]], { radius: 8, color: "#0d5c63", weight: 3, fillOpacity: 0.6 })
        .addTo(map)
        .bindTooltip(place[2]);
    });
    map.fitBounds(L.featureGroup(markers).getBounds(), { maxZoom: 9, padding: [40, 40] });
  }

  // The directory's filtered results. Zoomed out, the server sends each municipality with its
  // count of organisations; zoomed in, the organisations in view (clustered here).
  function directoryMap(element) {
    var map = baseMap(element, {});
    var layer = L.layerGroup().addTo(map);
    var request = 0;

    function url(extra) {
      var source = new URL(element.dataset.source, window.location.href);
      Object.keys(extra).forEach(function (key) {
        source.searchParams.set(key, extra[key]);
      });
      return source;
    }

    function clusterIcon(count) {
      var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + count.toLocaleString() + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    }

    function show(data) {
      layer.clearLayers();
      if (data.points) {
        var group = L.markerClusterGroup({ showCoverageOnHover: false });
        data.points.forEach(function (point) {
          var link = document.createElement("a");
          link.href = point[3];
          link.textContent = point[2];
          group.addLayer(
            L.circleMarker([point[0], point[1]], { radius: 7, color: "#0d5c63", weight: 2 }).bindPopup(link)
          );
        });
        layer.addLayer(group);
      } else {
        data.places.forEach(function (cluster) {
          var marker = L.marker([cluster[0], cluster[1]], {
            icon: clusterIcon(cluster[2]),
            title: cluster[2] + " " + (cluster[2] === 1 ? element.dataset.labelOne : element.dataset.labelMany),
          });
          marker.on("click", function () {
            map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 18));
          });
          layer.addLayer(marker);
        });
      }
    }

    function load() {
      var bounds = map.getBounds();
      var mine = ++request;
      fetch(url({ bbox: bounds.toBBoxString(), zoom: map.getZoom() }))
        .then(function (response) { return response.json(); })
        .then(function (data) { if (mine === request) show(data); });
    }

    fetch(url({}))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.places.length) {
          var corners = data.places.map(function (place) { return [place[0], place[1]]; });
          map.fitBounds(corners, { padding: [30, 30], maxZoom: 12 });
        } else {
          map.setView([55, 15], 4);
        }
        map.on("moveend", load);
        load();
      });
  }

  // The profile form's position: a click on the map fills the latitude and longitude fields,
  // which stay the way to type it (and the way for a keyboard).
  function pickerMap(element) {
    var lat = document.getElementById(element.dataset.latField);
    var lon = document.getElementById(element.dataset.lonField);
    var map = baseMap(element, { scrollWheelZoom: false });
    var marker = null;

    function place(position) {
      if (marker) marker.setLatLng(position);
      else marker = L.circleMarker(position, { radius: 9, color: "#0d5c63", weight: 3 }).addTo(map);
    }

    if (lat.value && lon.value) {
      var start = [parseFloat(lat.value), parseFloat(lon.value)];
      map.setView(start, 13);
      place(start);
    } else {
      map.setView([55.2, 23.9], 7);
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        if (lat.value && lon.value) place([parseFloat(lat.value), parseFloat(lon.value)]);
      });
    });
  }

  document.querySelectorAll("[data-map]").forEach(function (element) {
    if (element.dataset.map === "place") placeMap(element);
    if (element.dataset.map === "places") placesMap(element);
    if (element.dataset.map === "directory") directoryMap(element);
    if (element.dataset.map === "picker") pickerMap(element);
  });
})();
