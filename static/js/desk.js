// Desk helpers. Loaded as a file (CSP: no inline script). Everything here is an enhancement:
// without JavaScript the marker text is shown to copy, and every form still submits.
(function () {
  "use strict";

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    textarea.value = before + text + after;
    var position = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(position, position);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-marker]");
    if (!button) {
      return;
    }
    var textarea = document.getElementById(button.getAttribute("data-target") || "id_body");
    if (!textarea) {
      return;
    }
    event.preventDefault();
    // On the new-story page the marker's citation is ticked too: it is attached with the draft.
    var checkbox = document.getElementById(button.getAttribute("data-check") || "");
    if (checkbox) {
      checkbox.checked = true;
    }
    insertAtCursor(textarea, button.getAttribute("data-insert-marker"));
  });

  // An in-place decision on the verification queue asks for the focus in the row it swapped in
  // (templatetags newsroom.focus_here), so a keyboard user goes on from there.
  document.addEventListener("htmx:afterSettle", function () {
    var wanted = document.querySelector("[data-focus-after-swap]");
    if (wanted) {
      wanted.removeAttribute("data-focus-after-swap");
      wanted.focus();
    }
  });
})();
