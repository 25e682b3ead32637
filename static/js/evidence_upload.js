/* Chunked, resumable evidence upload (progressive enhancement of the plain upload form).
 *
 * Without JavaScript the form posts the file in one request. With it, the file goes to the evidence API in
 * 1 MiB parts; the session id is remembered per file, so after a dropped connection or a reload, choosing the
 * same file again asks the server how many bytes arrived and continues from there.
 *
 * On an indicator form the form also carries data-link: the finished evidence is then linked to the indicator
 * by posting its id (and the chosen element) to that address, like picking it from the library. */
(function () {
  "use strict";
  var form = document.getElementById("evidence-upload-form");
  if (!form || !window.fetch || !window.Blob || !Blob.prototype.slice) return;

  var texts = JSON.parse(document.getElementById("evidence-upload-messages").textContent);
  var api = form.dataset.api;
  var chunkSize = parseInt(form.dataset.chunk, 10);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var box = form.querySelector(".upload-progress");
  var bar = box.querySelector("progress");
  var status = box.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var MAX_RETRIES = 5;

  function mb(bytes) { return Layak.formatSize(bytes); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  function show(text, done, total) {
    box.hidden = false;
    if (total) bar.value = Math.floor((100 * done) / total);
    status.textContent = text;
  }
  function storageKey(file) {
    return ["layak-upload", form.dataset.region, file.name, file.size, file.lastModified].join(":");
  }
  function remember(key, value) {
    try { value ? localStorage.setItem(key, value) : localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function recall(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function call(method, url, body, contentType) {
    var headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function refused(response) {
    var error = new Error(response.data.detail || response.status);
    error.final = response.status !== 409 && response.status < 500;
    return error;
  }

  // Reuses the remembered session when the server still has it; otherwise starts a new one.
  function openSession(file, key) {
    var known = recall(key);
    var resume = known ? call("GET", api + "/" + known) : Promise.resolve({ status: 404 });
    return resume.then(function (r) {
      if (r.status === 200 && !r.data.complete) {
        show(fill(texts.resuming, { done: mb(r.data.received), total: mb(file.size) }), r.data.received, file.size);
        return r.data;
      }
      var payload = JSON.stringify({ region: form.dataset.region, filename: file.name, size: file.size });
      return call("POST", api, payload, "application/json").then(function (s) {
        if (s.status !== 201) throw refused(s);
        remember(key, s.data.id);
        return s.data;
      });
    });
  }

  // Sends the parts from the server's offset; a 409 tells us the offset the server really has.
  async function sendParts(file, session) {
    var offset = session.received;
    var failures = 0;
    while (offset < file.size) {
      var url = api + "/" + session.id + "?offset=" + offset;
      var r;
      try {
        r = await call("PUT", url, file.slice(offset, offset + chunkSize), "application/octet-stream");
      } catch (networkError) {
        r = { status: 0, data: { detail: texts.network } };
      }
      if (r.status === 200) { offset = r.data.received; failures = 0; }
      else if (r.status === 409 && r.data.expected_offset !== undefined) { offset = r.data.expected_offset; }
      else if (r.status >= 400 && r.status < 500) { throw refused(r); }
      else if (++failures > MAX_RETRIES) { throw refused(r); }
      else { await sleep(1000 * failures); continue; }
      show(fill(texts.uploading, { done: mb(offset), total: mb(file.size) }), offset, file.size);
    }
  }

  function complete(session) {
    var data = new FormData(form);
    var payload = { title: data.get("title") || "", document_number: data.get("document_number") || "" };
    ["document_date", "valid_until"].forEach(function (name) { if (data.get(name)) payload[name] = data.get(name); });
    show(texts.checking);
    return call("POST", api + "/" + session.id + "/complete", JSON.stringify(payload), "application/json").then(
      function (r) { if (r.status !== 201) throw refused(r); return r.data; }
    );
  }

  // Posts the new evidence to the indicator form's "pick" view; its redirect means it was linked.
  function link(evidence) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("evidence", evidence.id);
    var element = form.querySelector("select[name=element]");
    if (element) data.append("element", element.value);
    return fetch(form.dataset.link, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(function (r) {
        if (r.type !== "opaqueredirect" && !r.redirected) {
          var error = new Error(texts.not_linked);
          error.final = error.plain = true;
          throw error;
        }
      });
  }

  form.addEventListener("submit", async function (event) {
    var file = form.querySelector("input[type=file]").files[0];
    if (!file) return; // let the server explain what is missing
    event.preventDefault();
    var key = storageKey(file);
    button.disabled = true;
    try {
      var session = await openSession(file, key);
      await sendParts(file, session);
      var evidence = await complete(session);
      remember(key, null);
      if (form.dataset.link) await link(evidence);
      if (window.layakFlushDraft) await window.layakFlushDraft();
      window.location.assign(form.dataset.done);
    } catch (error) {
      if (error.final) remember(key, null);
      show(error.plain ? error.message : fill(texts.failed, { error: error.message }));
      button.disabled = false;
    }
  });
})();
