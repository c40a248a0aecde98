// A running circulation's figures, fetched again every five seconds (the page itself stays
// put: no reload, nothing lost of where the reader is). Stops once nothing is left to send.
(function () {
  "use strict";
  var INTERVAL = 5000;

  function poll() {
    var box = document.getElementById("circulation-progress");
    var url = box && box.getAttribute("data-refresh");
    if (!url) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById(
          "circulation-progress"
        );
        if (next) {
          box.replaceWith(document.importNode(next, true));
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL * 2); // the server will be back; try less often
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(poll, INTERVAL);
  });
})();
