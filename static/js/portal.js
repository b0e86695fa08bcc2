// Progressive enhancement for every page. Everything here also works as a plain link or form.
import { createAll, ExitThisPage, initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// "Exit this page": GOV.UK Frontend's component (the button, and Shift pressed three times
// within five seconds, with its indicator and announcements), changed in two ways. It replaces
// this page with the neutral site by location.replace(), which leaves no history entry for the
// page the resident was on, so Back does not return to it. And the Escape key exits too, even
// while typing in a form: that is when someone may need to leave in a hurry.
class PortalExitThisPage extends ExitThisPage {
  static moduleName = "portal-exit-this-page";

  constructor($root, config) {
    super($root, config);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        this.exitPage();
      }
    });
    for (const hint of document.querySelectorAll("[data-exit-page-hint]")) hint.hidden = false;
  }

  exitPage() {
    if (this.$updateSpan) this.$updateSpan.textContent = "";
    document.title = "Loading";
    document.body.classList.add("govuk-exit-this-page-hide-content");
    if (!this.$overlay) {
      this.$overlay = document.createElement("div");
      this.$overlay.className = "govuk-exit-this-page-overlay";
      this.$overlay.setAttribute("role", "alert");
      this.$overlay.textContent = this.i18n.t("activated");
      document.body.appendChild(this.$overlay);
    }
    window.location.replace(this.$button.href);
  }
}
createAll(PortalExitThisPage);

// The essential-cookies notice hides without a page load when JavaScript runs.
const cookieNotice = document.querySelector("[data-cookie-notice]");
if (cookieNotice) {
  cookieNotice.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) cookieNotice.hidden = true;
  });
}
