// "Copy" beside each formatted citation on a publication's page: puts the citation on the
// clipboard as text and, where the browser can, as HTML too (so that italics survive a
// paste into a word processor), and says so in the status beside the button. Without
// this script (or a clipboard) the buttons stay hidden and the text can be selected.
(function () {
  "use strict";

  function say(button, message) {
    var status = document.getElementById(button.getAttribute("data-status") || "");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50); // a changed text is announced even when it is the same message again
    }
  }

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(element) {
    var text = element.textContent.replace(/\s+/g, " ").trim();
    if (window.ClipboardItem && navigator.clipboard.write) {
      var html = "<p>" + element.innerHTML.trim() + "</p>"; // already escaped by the page
      return navigator.clipboard
        .write([
          new window.ClipboardItem({
            "text/plain": new Blob([text], { type: "text/plain" }),
            "text/html": new Blob([html], { type: "text/html" }),
          }),
        ])
        .catch(function () {
          return navigator.clipboard.writeText(text);
        });
    }
    return navigator.clipboard.writeText(text);
  }

  function init() {
    if (!navigator.clipboard) {
      return; // not a secure context, or an old browser: the text can still be selected
    }
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(target).then(
          function () {
            say(button, button.getAttribute("data-copied"));
          },
          function () {
            select(target);
            say(button, button.getAttribute("data-failed"));
          }
        );
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
