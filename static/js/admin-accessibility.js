// Accessible names the Django admin's own widgets leave out (found by the axe-core run in
// tests/browser/test_accessibility_browser.py), given on every admin page and again
// whenever the page changes (an inline row added, an autocomplete opened or updated):
// - autocomplete fields (select2): the combobox, its chosen value and its search boxes are
//   named by the field's label, or in a tabular inline by its column's heading; an open
//   combobox says which list it controls (aria-controls, as ARIA 1.2 asks);
// - fields of tabular inlines have no <label>: they are named by their column's heading;
// - select2's "×" that clears a multiple choice sits inside its list, as a non-item: it is
//   hidden from assistive technology (the keyboard clears with Backspace);
// - the filter widgets' search icons carry an aria-label on a bare <span>: role "img".
(function () {
  "use strict";

  var CONTROLS = "input:not([type=hidden]), select, textarea";

  function text(element) {
    return element.textContent.replace(/\s+/g, " ").trim().replace(/:$/, "");
  }

  function ensureId(element, id) {
    if (!element.id) {
      element.id = id;
    }
    return element.id;
  }

  // The column heading of a cell in a tabular inline (its <thead> cell at the same index).
  function columnHeading(control) {
    var cell = control.closest(".tabular td");
    var table = cell && cell.closest("table");
    if (!table || !table.tHead || !table.tHead.rows.length) {
      return null;
    }
    var heading = table.tHead.rows[0].cells[cell.cellIndex];
    return heading && text(heading) ? heading : null;
  }

  // The element whose text names the control with this id: its <label>, or its column's
  // heading in a tabular inline.
  function namer(id) {
    var control = document.getElementById(id);
    if (!control) {
      return null;
    }
    var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (label && text(label)) {
      return label;
    }
    return columnHeading(control);
  }

  function nameTabularFields() {
    document.querySelectorAll(".tabular td").forEach(function (cell) {
      cell.querySelectorAll(CONTROLS).forEach(function (control) {
        if (control.closest(".select2-container") || control.getAttribute("aria-label")) {
          return;
        }
        if (control.labels && control.labels.length) {
          return;
        }
        var heading = columnHeading(control);
        if (heading) {
          control.setAttribute("aria-label", text(heading));
        }
      });
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!select.id || !container || !container.classList.contains("select2-container")) {
        return;
      }
      var source = namer(select.id);
      if (!source) {
        return;
      }
      var name = text(source);
      var sourceId = ensureId(source, select.id + "-name");
      var combobox = container.querySelector(".select2-selection[role=combobox]");
      if (combobox) {
        var rendered = container.querySelector(".select2-selection__rendered[id]");
        var ids = [sourceId].concat(rendered ? [rendered.id] : []).join(" ");
        if (combobox.getAttribute("aria-labelledby") !== ids) {
          combobox.setAttribute("aria-labelledby", ids);
        }
        // While open, select2 names its list by aria-owns; ARIA 1.2 asks aria-controls.
        var owns = combobox.getAttribute("aria-owns");
        if (owns && combobox.getAttribute("aria-controls") !== owns) {
          combobox.setAttribute("aria-controls", owns);
        } else if (!owns && combobox.hasAttribute("aria-controls")) {
          combobox.removeAttribute("aria-controls");
        }
        // The chosen value, a read-only "textbox" of its own (named by reference, which
        // is not followed further when it names the combobox in turn).
        if (rendered && rendered.getAttribute("role") === "textbox") {
          rendered.setAttribute("aria-labelledby", sourceId);
        }
      }
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        if (field.getAttribute("aria-label") !== name) {
          field.setAttribute("aria-label", name);
        }
      });
      container.querySelectorAll(".select2-selection__clear").forEach(function (clear) {
        clear.setAttribute("aria-hidden", "true");
      });
    });
    // The open dropdown's search box, appended to <body>, names its results list.
    document
      .querySelectorAll(".select2-search--dropdown .select2-search__field[aria-controls]")
      .forEach(function (field) {
        var match = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls"));
        var source = match && namer(match[1]);
        if (source && field.getAttribute("aria-label") !== text(source)) {
          field.setAttribute("aria-label", text(source));
        }
      });
  }

  function fixIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix() {
    nameTabularFields();
    nameAutocompletes();
    fixIcons();
  }

  function start() {
    fix();
    // Mutation callbacks run before the page does anything else; the attributes set here
    // are not childList changes, so they do not call back.
    new MutationObserver(function (mutations) {
      if (mutations.some(function (m) { return m.type === "childList"; })) {
        fix();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
