// At the door the search box holds the last name searched, with the cursor in it: select that
// text, so the next guest's name replaces it as it is typed instead of being added to it.
// Without JavaScript the box still has the cursor; staff clear it by hand.
// A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";

  function selectTheLastSearch() {
    var box = document.querySelector("#door-search input[name=q]");
    // The box is the page's autofocus; the browser may not have applied it yet.
    if (box && box.hasAttribute("autofocus")) {
      box.focus();
      box.select();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", selectTheLastSearch);
  } else {
    selectTheLastSearch();
  }
})();
