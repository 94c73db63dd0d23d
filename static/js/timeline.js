// Timelines drawn as SVG (people/timelines.py). Enhancements only: without JavaScript every
// bar and every stretch of the axis is a plain link, and the picture scrolls sideways.
(function () {
  "use strict";

  // Bars and stretches of the axis are SVG links carrying hx-get: htmx loads the leadership
  // on the link's day, and this keeps the browser from also following the link (htmx leaves
  // an SVG link's default alone, unlike an HTML one's). A modified click (a new tab) is left
  // to the browser, and kept from htmx.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest("svg a[hx-get]");
      if (!link || !window.htmx) {
        return;
      }
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        event.stopPropagation();
        return;
      }
      event.preventDefault();
    },
    true
  );

  // On a narrow screen the picture scrolls: bring the selected date's line into view.
  function showAsOf(root) {
    var scrollers = (root || document).querySelectorAll(".chart-scroll");
    Array.prototype.forEach.call(scrollers, function (scroller) {
      var line = scroller.querySelector("g.as-of line");
      var svg = scroller.querySelector("svg");
      if (!line || !svg || scroller.scrollWidth <= scroller.clientWidth) {
        return;
      }
      var x = parseFloat(line.getAttribute("x1")) * (svg.clientWidth / svg.viewBox.baseVal.width);
      scroller.scrollLeft = Math.max(0, x - scroller.clientWidth / 2);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    showAsOf(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    showAsOf(event.target);
  });
})();
