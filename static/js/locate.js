// "Use my location": only offered where the browser can say where it is. The position goes to
// the same search as the form (/?lat=…&lng=…), which finds the neighbourhood containing it.
const button = document.querySelector("[data-locate]");
const status = document.querySelector("[data-locate-status]");

if (button && "geolocation" in navigator) {
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    // The page gives these in its language (data-finding, data-not-found).
    status.textContent = status.dataset.finding || "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(window.location.href);
        url.search = "";
        url.searchParams.set("lat", position.coords.latitude.toFixed(5));
        url.searchParams.set("lng", position.coords.longitude.toFixed(5));
        window.location.assign(url);
      },
      () => {
        button.disabled = false;
        status.textContent =
          status.dataset.notFound ||
          "Your location could not be found. Search by postcode, town or neighbourhood instead.";
      },
      { timeout: 15000, maximumAge: 300000 },
    );
  });
}
