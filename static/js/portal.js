// Progressive enhancement for every page. Everything here also works as a plain link or form.
import { createAll, ExitThisPage, initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

// "Exit this page" is GOV.UK Frontend's own module (data-module="govuk-exit-this-page"): its
// button, Shift pressed three times within five seconds, its indicator, overlay and
// announcements. Two small additions: it replaces this page with the neutral site by
// location.replace(), which leaves no history entry for the page the resident was on, so Back
// does not return to it; and the Escape key exits too, even while typing in a form, as the
// force's sites promise: that is when someone may need to leave in a hurry.
class PortalExitThisPage extends ExitThisPage {
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
    document.title = this.$root.dataset.loadingTitle || "Loading";
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

// Every other GOV.UK component. initAll finds Exit this page already made (above) and says so
// in an InitError, which is expected and not shown.
initAll({
  onError(error, context) {
    if (!(error.name === "InitError" && context.component === ExitThisPage)) console.log(error);
  },
});

// The essential-cookies notice hides without a page load when JavaScript runs.
const cookieNotice = document.querySelector("[data-cookie-notice]");
if (cookieNotice) {
  cookieNotice.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) cookieNotice.hidden = true;
  });
}
