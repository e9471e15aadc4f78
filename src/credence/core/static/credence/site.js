// A box that scrolls sideways (a wide table on a phone) must be reachable by keyboard, or its
// hidden columns are out of reach without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
// Each one that scrolls now gets tabindex="0"; one that no longer scrolls loses it again.
(function () {
  "use strict";

  function markScrollable() {
    for (const box of document.querySelectorAll(".table-scroll, main table")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.dataset.scrollFocus = "";
      } else if (!scrolls && "scrollFocus" in box.dataset) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markScrollable);
  } else {
    markScrollable();
  }
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSettle", markScrollable);
})();
