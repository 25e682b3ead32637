/* Autosave of one checklist question (progressive enhancement: without JavaScript the form posts as usual).
 * A change of the answer saves at once; typing in the note saves two seconds after the last key. The server
 * answers the X-Autosave request with JSON; the status line says what happened. "Use this value" fills the
 * register's offer and saves it with its source. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.fetch || !window.FormData) return;
  var texts = JSON.parse(document.getElementById("autosave-messages").textContent);
  var status = document.getElementById("autosave-status");
  var timer = null;
  var pending = null;

  function save() {
    status.textContent = texts.saving;
    pending = fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (r) { status.textContent = r.ok ? texts.saved : r.data.detail || texts.failed; })
      .catch(function () { status.textContent = texts.offline; })
      .then(function () { pending = null; });
    return pending;
  }
  // "Save and next" waits for an autosave still on its way, so the two never race.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (!pending) return;
    event.preventDefault();
    pending.then(function () { form.submit(); });
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "value") save();
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "note") return;
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
  var offer = document.querySelector("[data-offer]");
  if (offer) {
    offer.addEventListener("click", function () {
      var radio = form.querySelector("input[name=value][value=" + offer.dataset.offer + "]");
      if (radio) radio.checked = true;
      form.querySelector("input[name=use_offer]").value = "True";
      save();
    });
  }
})();
