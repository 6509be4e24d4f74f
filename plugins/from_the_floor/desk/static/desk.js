// The desk's one script: the live preview while typing, dropping files to take in, and keys.
// Everything works without it (plain forms); it only makes the same things quicker.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var csrf = token ? token.getAttribute("content") : "";

  // --- live preview: the answer fields, rendered by the desk with the site's own function ---
  var form = document.getElementById("answer-form");
  var frame = document.getElementById("preview-frame");
  var state = document.getElementById("preview-state");
  if (form && frame) {
    var timer = null;
    var asked = 0;
    var refresh = function () {
      var mine = ++asked;
      var data = new FormData();
      data.append("quick", form.elements.quick.value);
      data.append("body", form.elements.body.value);
      fetch(form.getAttribute("data-preview"), {
        method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRF-Token": csrf}
      }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.text();
      }).then(function (html) {
        if (mine !== asked) { return; }  // a newer keystroke's answer is on its way
        // the post's section (the whole page keeps its header, navigation and footer)
        var doc = frame.contentDocument;
        var target = doc && doc.querySelector(".floor-qa");
        if (target) {
          target.outerHTML = html;
          if (state) { state.textContent = "As the post will show it, with your unsaved text."; }
        }
      }).catch(function () {
        if (state) { state.textContent = "The preview could not be updated; Save still works."; }
      });
    };
    var edited = false;
    var later = function () { edited = true; clearTimeout(timer); timer = setTimeout(refresh, 250); };
    // the whole page may arrive after the first keystrokes: bring it up to date when it does
    frame.addEventListener("load", function () { if (edited) { refresh(); } });
    form.elements.quick.addEventListener("input", later);
    form.elements.body.addEventListener("input", later);
  }

  // --- unsaved text: leaving the page (a link, a reload, closing the tab) asks first ---
  // The answer fields of a question's page, the quick answer of a published post's and a question
  // being typed in: what was typed since the page was shown is lost if the page goes, so the
  // browser asks first; the form's own button does not.
  var answerForms = [form, document.getElementById("post-form"), document.getElementById("ask-form")]
    .filter(Boolean);
  // a page that came back refused (the file changed meanwhile) holds text that is not saved yet
  var unsaved = answerForms.some(function (f) { return f.hasAttribute("data-unsaved"); });
  answerForms.forEach(function (f) {
    f.addEventListener("input", function () { unsaved = true; });
    f.addEventListener("submit", function () { unsaved = false; });
  });
  // --- a Save that never arrived: the desk stopped, was killed or restarted while it was sent ---
  // The answer is kept in this tab when Save sends it, and dropped as soon as a page of this
  // question shows that text (saved, or given back refused). A page that shows other text (the
  // file as it was: the Save was lost) gets the kept text back in its fields, with the digest it
  // was typed against, so saving it over a file changed meanwhile still stops at the conflict.
  var draftForm = form || document.getElementById("post-form");
  var draftKey = draftForm && ("floor-desk-draft:" + draftForm.getAttribute("action"));
  var store = null;
  try { store = window.sessionStorage; } catch (err) { store = null; }
  var same = function (name, a, b) {
    var tidy = name === "quick"
      ? function (t) { return t.split(/\s+/).join(" ").trim(); }
      : function (t) { return t.replace(/\r\n/g, "\n").replace(/^\n+|\n+$/g, ""); };  // (blank lines at the ends)
    return tidy(a) === tidy(b);
  };
  if (draftForm && store) {
    var fieldNames = ["quick", "body"].filter(function (n) { return draftForm.elements[n]; });
    draftForm.addEventListener("submit", function () {
      var kept = {digest: draftForm.elements.digest.value, fields: {}};
      fieldNames.forEach(function (n) { kept.fields[n] = draftForm.elements[n].value; });
      try { store.setItem(draftKey, JSON.stringify(kept)); } catch (err) { /* full: Save as before */ }
    });
    var kept = null;
    try { kept = JSON.parse(store.getItem(draftKey) || "null"); } catch (err) { kept = null; }
    if (kept && kept.fields) {
      store.removeItem(draftKey);
      // a page that says what a Save did ("Saved. …") came from that Save: it arrived
      var lost = !document.querySelector("main > .note-done") && fieldNames.some(function (n) {
        return typeof kept.fields[n] === "string" && !same(n, kept.fields[n], draftForm.elements[n].value);
      });
      if (lost) {
        fieldNames.forEach(function (n) {
          if (typeof kept.fields[n] === "string") { draftForm.elements[n].value = kept.fields[n]; }
        });
        draftForm.elements.digest.value = kept.digest;
        draftForm.setAttribute("data-unsaved", "");
        var told = document.createElement("div");
        told.className = "note note-error";
        told.setAttribute("role", "alert");
        told.id = "draft-back";
        var said = document.createElement("p");
        said.textContent = "Your last Save did not reach the desk (it was stopped or restarted meanwhile), " +
          "so that text was not saved. It is back in the fields: press Save to keep it.";
        told.appendChild(said);
        var before = draftForm.closest(".answer-grid") || draftForm;
        before.parentNode.insertBefore(told, before);
        if (form && frame) { edited = true; refresh(); }
      }
    }
  }
  unsaved = unsaved || answerForms.some(function (f) { return f.hasAttribute("data-unsaved"); });

  window.addEventListener("beforeunload", function (e) {
    if (!unsaved) { return; }
    e.preventDefault();
    e.returnValue = "";  // (older browsers ask only when this is set)
  });

  // --- keys: "/" to search the queue, Ctrl/Cmd+S or Ctrl/Cmd+Enter to save the answer ---
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(tag);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var search = document.querySelector("[data-shortcut='/']");
      if (search) { e.preventDefault(); search.focus(); search.select(); }
    }
    if (form && (e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "Enter")) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // --- intake: files dropped on the box are taken in at once ---
  var drop = document.getElementById("intake-form");
  if (drop) {
    var input = document.getElementById("files");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        drop.requestSubmit();
      }
    });
  }
})();
