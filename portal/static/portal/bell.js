// The notification bell's poller (templates/partials/bell.html) asks the server only while
// someone can see the page: a poll that falls due while the tab is hidden is skipped, and the
// bell asks at once when the tab is shown again (or the page comes back from the browser's
// back-forward cache), so it is never behind for longer than one interval.
// A file, not an inline script or an htmx filter: the Content-Security-Policy allows scripts
// from 'self' only, and no eval.
(function () {
  "use strict";

  var POLLER_ID = "bell-poll";

  function checkNow() {
    var poller = document.getElementById(POLLER_ID);
    if (poller && window.htmx) {
      window.htmx.trigger(poller, "bell:check");
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === POLLER_ID && document.visibilityState === "hidden") {
      event.preventDefault();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      checkNow();
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      checkNow();
    }
  });
})();
