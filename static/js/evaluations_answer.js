/* Indicator form helpers.
 *
 * "Use this value" copies a register's value into its field (the user can still change it). Before an evidence
 * form leaves the page, what was typed into the answer form is stored as the user's draft, so attaching a file
 * never loses typing (the draft is restored when the page comes back). */
(function () {
  "use strict";
  var answer = document.getElementById("answer-form");
  if (!answer) return;
  var draftUrl = answer.getAttribute("hx-post");
  var dirty = false;

  answer.addEventListener("input", function () { dirty = true; });
  answer.addEventListener("change", function () { dirty = true; });
  answer.addEventListener("submit", function () { dirty = false; });

  document.querySelectorAll("[data-fill]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.fill);
      if (!field) return;
      field.value = button.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    });
  });

  // Stores the typing as a draft; resolves either way (a failed draft must not block the evidence action).
  window.layakFlushDraft = function () {
    if (!dirty || !draftUrl || !window.fetch) return Promise.resolve();
    dirty = false;
    return fetch(draftUrl, { method: "POST", body: new FormData(answer), credentials: "same-origin" })
      .catch(function () { dirty = true; });
  };

  document.querySelectorAll(".ev-evidence-form").forEach(function (form) {
    if (form.id === "evidence-upload-form") return; // evidence_upload.js flushes before it leaves
    form.addEventListener("submit", function (event) {
      if (!dirty) return;
      event.preventDefault();
      window.layakFlushDraft().then(function () { form.submit(); });
    });
  });
})();
