/* Entraide: what happens around an action done in place with htmx.
 *
 * Pages work without this file (real forms post and redirect). With it, after htmx has
 * swapped an answer in:
 * - an element marked data-autofocus takes the focus (the new message, the row a topic was
 *   marked read in, the next case of the moderation queue);
 * - a failed request is said in the page's live region (#live-status), in its language.
 * No inline script or style anywhere: CSP-ready.
 */
(function () {
  "use strict";

  function say(text) {
    var live = document.getElementById("live-status");
    if (live && text) {
      live.textContent = "";
      // A fresh text node a moment later: screen readers announce a change, not a repeat.
      window.setTimeout(function () { live.textContent = text; }, 50);
    }
  }

  function focusMarked() {
    var target = document.querySelector("[data-autofocus]");
    if (!target) {
      return;
    }
    target.removeAttribute("data-autofocus");
    if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  document.addEventListener("htmx:afterSettle", focusMarked);

  document.addEventListener("htmx:responseError", function () {
    var live = document.getElementById("live-status");
    say(live && live.getAttribute("data-error"));
  });
  document.addEventListener("htmx:sendError", function () {
    var live = document.getElementById("live-status");
    say(live && live.getAttribute("data-offline"));
  });

  // The moderation queue: a handled case is replaced by its confirmation (data-focus-next); the
  // focus goes on to the next case still open, or stays on the confirmation after the last.
  document.addEventListener("htmx:afterSettle", function () {
    var done = document.querySelector("[data-focus-next]");
    if (!done) {
      return;
    }
    done.removeAttribute("data-focus-next");
    var next = done.closest("li") && done.closest("li").nextElementSibling;
    while (next && next.querySelector("[data-case-done]")) {
      next = next.nextElementSibling;
    }
    var target = (next && next.querySelector("[id^='case-title-']")) || done;
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });
})();
