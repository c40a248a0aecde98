// The catalogue's filters apply as they change. A ticked facet, a year or another order
// submits the form in the background; the results, the facets and their counts are
// replaced, the address follows (Back and a reload show the same) and the new count is
// read out (its heading is a live region, updated in place). Without this script the form
// works as sent: "Apply filters", "Show" and "Search" load the page.
(function () {
  "use strict";
  var WIDE = "(min-width: 48rem)";
  var REPLACED = ["facets", "results-body", "results-controls", "filters-active", "catalogue-errors"];
  var pending = null;

  function addressOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    var query = params.toString();
    return form.action.split("?")[0] + (query ? "?" + query : "");
  }

  function show(html, url, push) {
    var next = new DOMParser().parseFromString(html, "text/html");
    if (!next.getElementById("catalogue-form")) {
      window.location.assign(url);
      return;
    }
    var focused = document.activeElement ? document.activeElement.id : "";
    REPLACED.forEach(function (id) {
      var here = document.getElementById(id);
      var there = next.getElementById(id);
      if (here && there) {
        here.replaceWith(document.importNode(there, true));
      }
    });
    var heading = document.getElementById("results-heading");
    var count = next.getElementById("results-heading");
    if (heading && count) {
      heading.textContent = count.textContent;
    }
    document.title = next.title;
    if (push) {
      window.history.pushState({ catalogue: true }, "", url);
    }
    var again = focused && document.getElementById(focused);
    if (again && again !== document.activeElement) {
      again.focus();
    }
  }

  function load(url, push) {
    var form = document.getElementById("catalogue-form");
    if (pending) {
      pending.abort();
    }
    var mine = new AbortController();
    pending = mine;
    form.setAttribute("aria-busy", "true");
    // A 400 page is shown too: it names the parameters it could not use.
    fetch(url, {
      signal: mine.signal,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        if (mine !== pending) {
          return; // a later change asked for another page meanwhile
        }
        pending = null;
        form.removeAttribute("aria-busy");
        show(html, url, push);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.assign(url); // let the browser load it, and show what it gets
        }
      });
  }

  function applies(control) {
    if (control.closest("#filters")) {
      return (
        control.type === "checkbox" || (control.type === "number" && control.checkValidity())
      );
    }
    return control.tagName === "SELECT" && Boolean(control.closest(".results-controls"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("catalogue-form");
    var filters = document.getElementById("filters");
    if (!form || !window.fetch || !window.URLSearchParams) {
      return;
    }
    // Browsers that cannot show a closed disclosure's content as the sidebar: open it.
    var wide = window.matchMedia(WIDE);
    if (filters && wide.matches && !CSS.supports("selector(::details-content)")) {
      filters.open = true;
    }
    form.addEventListener("submit", function () {
      if (pending) {
        pending.abort(); // the page is loaded as sent
      }
    });
    form.addEventListener("change", function (event) {
      if (applies(event.target)) {
        load(addressOf(form), true);
      }
    });
    window.history.replaceState({ catalogue: true }, "");
    window.addEventListener("popstate", function (event) {
      if (event.state && event.state.catalogue) {
        load(window.location.href, false);
      }
    });
  });
})();
