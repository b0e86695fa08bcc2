// The neighbourhood's boundary over a street map (Leaflet), in place of the outline drawn in the
// HTML. Without JavaScript, or with no tile server set (MAP_TILE_URL), the outline stays. If the
// tiles do not load, the boundary is still drawn on the map.
(() => {
  const area = document.querySelector("[data-area-map]");
  const boundary = document.getElementById("area-boundary");
  const outline = area && area.querySelector("[data-area-map-outline]");
  if (!area || !boundary || !outline || typeof L === "undefined") return;

  const container = document.createElement("div");
  container.className = "portal-area-map__map";
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", area.dataset.label);
  area.insertBefore(container, outline);

  try {
    // Scrolling the page with the wheel scrolls the page, not the map; the zoom buttons zoom.
    const map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(area.dataset.tileUrl, {
      attribution: area.dataset.attribution,
      maxZoom: 19,
      // The portal sends no Referer elsewhere, but tile servers ask for one (OpenStreetMap's
      // refuses tiles without it): the site's address alone, not the page's.
      referrerPolicy: "strict-origin",
    }).addTo(map);
    const shape = L.geoJSON(JSON.parse(boundary.textContent), {
      interactive: false,
      style: { color: "#005a30", weight: 3, fillColor: "#00703c", fillOpacity: 0.15 },
    }).addTo(map);
    map.fitBounds(shape.getBounds(), { padding: [8, 8] });
  } catch (error) {
    container.remove();
    throw error;
  }
  outline.hidden = true;
})();
