// A "Copy link" button beside each link marked `data-copy-from="<input id>"`.
//
// Progressive enhancement: without JavaScript (or without a clipboard, which browsers give
// only to secure pages) the link stays what it always is, selectable text, and no button
// appears. The confirmation is written into a live region, so screen readers announce it.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";

  var SHOWN_FOR_MS = 5000;

  function enhance(field) {
    var input = document.getElementById(field.dataset.copyFrom);
    if (!input || field.querySelector(".copy-button")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button copy-button";
    button.textContent = "Copy link";
    if (field.dataset.copyLabel) {
      var which = document.createElement("span");
      which.className = "visually-hidden";
      which.textContent = " for " + field.dataset.copyLabel;
      button.appendChild(which);
    }
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    field.appendChild(button);
    field.appendChild(status);

    var timer = null;
    function say(message, ok) {
      status.textContent = message;
      status.classList.toggle("copy-status--ok", ok);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, SHOWN_FOR_MS);
    }

    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          say("Copied", true);
        },
        function () {
          input.focus();
          input.select();
          say("Could not copy: the link is selected, so copy it with Ctrl+C (⌘C on a Mac).", false);
        }
      );
    });
  }

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-copy-from]").forEach(enhance);
})();
