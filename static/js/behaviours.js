// Small behaviours that pages ask for with data attributes (the Content-Security-Policy allows no inline script):
// data-autosubmit on a select submits its form when changed; data-select-on-focus selects a field's text.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.submit(); }
  });
  document.addEventListener("focusin", function (event) {
    var field = event.target.closest && event.target.closest("[data-select-on-focus]");
    if (field && field.select) { field.select(); }
  });
})();
