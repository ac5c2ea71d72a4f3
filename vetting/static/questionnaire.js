/* The questionnaire's drafts: saved to the server a moment after typing stops, and kept in this
   browser (localStorage) until the server has confirmed them. A copy the server never confirmed
   (the session ended, the network failed, the tab closed) is put back into the form on the next
   visit and saved then. No inline script: the page's CSP allows only files from this origin. */
(function () {
  "use strict";
  var form = document.getElementById("questionnaire-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var statusLine = document.getElementById("autosave-status");
  var key = form.dataset.draftKey;
  var url = form.dataset.autosaveUrl;
  var DELAY = 1500;
  var timer = null;
  var inFlight = false;
  var again = false;

  function say(text) { if (statusLine) { statusLine.textContent = text; } }

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  /* The form's fields, without files (those go with "Save draft") and without the token. */
  function fields() {
    var data = new FormData(form);
    var pairs = [];
    data.forEach(function (value, name) {
      if (typeof value !== "string" || name === "csrf_token") { return; }
      pairs.push([name, value]);
    });
    return pairs;
  }

  function keepLocally(pairs, sent) {
    var s = store();
    if (!s) { return; }
    try {
      s.setItem(key, JSON.stringify({ fields: pairs, at: new Date().toISOString(), sent: sent }));
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  }

  function save() {
    timer = null;
    if (inFlight) { again = true; return; }
    var pairs = fields();
    keepLocally(pairs, false);
    var body = new URLSearchParams();
    pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    var token = form.querySelector("input[name=csrf_token]");
    inFlight = true;
    say(form.dataset.textSaving);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 400 || response.status === 403) {
        say(form.dataset.textUnsent);
        return null;
      }
      return response.json().then(function (result) {
        if (response.ok && result.ok) {
          keepLocally(pairs, true);
          say(form.dataset.textSaved + " " + new Date().toLocaleTimeString());
        } else {
          say(form.dataset.textRefused + " " + (result.message || ""));
        }
      });
    }).catch(function () {
      say(form.dataset.textUnsent);
    }).then(function () {
      inFlight = false;
      if (again) { again = false; schedule(); }
    });
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, DELAY);
  }

  /* An unsent copy newer than the server's draft goes back into the form, then to the server. */
  function restore() {
    var s = store();
    if (!s) { return false; }
    var kept;
    try { kept = JSON.parse(s.getItem(key) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.sent || !kept.fields) { return false; }
    var serverSaved = form.dataset.serverSaved ? Date.parse(form.dataset.serverSaved + (form.dataset.serverSaved.indexOf("+") < 0 && form.dataset.serverSaved.indexOf("Z") < 0 ? "Z" : "")) : 0;
    if (serverSaved && Date.parse(kept.at) <= serverSaved) { return false; }
    var byName = {};
    kept.fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden" || el.type === "submit") { return; }
      var values = byName[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
      } else if (values) {
        el.value = values[0];
      }
    });
    return true;
  }

  if (restore()) {
    say(form.dataset.textRestored);
    save();
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    if (event.target && event.target.type === "file") { return; }
    schedule();
  });
  /* A real submission replaces the draft: the local copy is no longer needed once it is sent. */
  form.addEventListener("submit", function () { keepLocally(fields(), false); });
  window.addEventListener("pagehide", function () {
    if (timer) { window.clearTimeout(timer); keepLocally(fields(), false); }
  });
}());
