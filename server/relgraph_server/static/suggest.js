// relgraph pages: suggestions under the site's search box as you type (GET /search/suggest).
// An ARIA combobox: arrow keys move through the list, Enter opens the chosen page, Escape closes.
// Without this file the box is a plain search form.
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box || !window.fetch) return;
  var form = box.form;
  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", box.getAttribute("placeholder") || "");
  list.hidden = true;
  form.style.position = "relative";
  form.appendChild(list);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");
  var lang = (form.querySelector("input[name=lang]") || {}).value || document.documentElement.lang;
  var timer = null, active = -1, asked = "";

  function close() {
    list.hidden = true; active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }
  function mark(i) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && items[i]) box.setAttribute("aria-activedescendant", items[i].id);
  }
  function show(data) {
    list.textContent = "";
    data.suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-suggestion-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = s.href; a.tabIndex = -1;
      a.textContent = s.label;
      var type = document.createElement("span");
      type.className = "type"; type.textContent = s.type;
      li.appendChild(a); li.appendChild(document.createTextNode(" ")); li.appendChild(type);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); window.location.href = s.href; });
      list.appendChild(li);
    });
    list.hidden = !data.suggestions.length;
    box.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    active = -1;
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var q = box.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      asked = q;
      fetch(form.action.replace(/\/search$/, "/search/suggest") + "?" + new URLSearchParams({ q: q, lang: lang }))
        .then(function (r) { return r.json(); })
        .then(function (data) { if (data.q === asked && box.value.trim() === q) show(data); })
        .catch(close);
    }, 150);
  });
  box.addEventListener("keydown", function (ev) {
    var n = list.querySelectorAll("li").length;
    if (list.hidden || !n) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); mark((active + 1) % n); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); mark((active - 1 + n) % n); }
    else if (ev.key === "Escape") { close(); }
    else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      window.location.href = list.querySelectorAll("li a")[active].href;
    }
  });
  box.addEventListener("blur", function () { setTimeout(close, 100); });
})();
