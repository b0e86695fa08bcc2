// Progressive enhancement for every page. Everything here also works as a plain link or form.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// "Exit this page": replace this page with a neutral site at once, by the button or the
// Escape key. location.replace() leaves no history entry for the page the resident was on,
// so Back does not return to it.
const exitButton = document.querySelector("[data-exit-page]");
if (exitButton) {
  const exitPage = (event) => {
    if (event) event.preventDefault();
    document.title = "Loading";
    document.body.hidden = true;
    window.location.replace(exitButton.href);
  };
  exitButton.addEventListener("click", exitPage);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) exitPage(event);
  });
}

// The essential-cookies notice hides without a page load when JavaScript runs.
const cookieNotice = document.querySelector("[data-cookie-notice]");
if (cookieNotice) {
  cookieNotice.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) cookieNotice.hidden = true;
  });
}
