/* The Print button of the invitation codes page (no inline script: the Content-Security-Policy forbids it). */
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
