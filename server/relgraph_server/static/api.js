// The /api page: try-it forms that fetch JSON and draw the result table. No dependencies.
(function () {
  "use strict";
  var t = JSON.parse(document.getElementById("api-messages").textContent);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function cell(row, column) {
    var td = el("td");
    if (!(column in row)) { return td; }
    var value = row[column];
    var type = row[column + "@type"];
    if (type === "iri") {
      var a = el("a", { href: value, title: value }, value.replace(/^.*[/#]/, "") || value);
      td.appendChild(a);
    } else {
      td.appendChild(document.createTextNode(value));
      if (row[column + "@lang"]) { td.appendChild(el("span", { "class": "lang" }, "@" + row[column + "@lang"])); }
      else if (type) { td.appendChild(el("span", { "class": "dt" }, type)); }
    }
    return td;
  }

  function draw(box, data, load) {
    box.textContent = "";
    var first = data.total ? data.offset + 1 : 0;
    var last = data.offset + data.rows.length;
    box.appendChild(el("p", { "class": "meta" },
      t.results + ": " + first + "–" + last + " " + t.of + " " + data.total + " " + t.rows));
    if (!data.rows.length) { box.appendChild(el("p", {}, t.no_results)); return; }
    var table = el("table"), head = el("tr");
    data.columns.forEach(function (c) { head.appendChild(el("th", { scope: "col" }, c)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    data.rows.forEach(function (row) {
      var tr = el("tr");
      data.columns.forEach(function (c) { tr.appendChild(cell(row, c)); });
      body.appendChild(tr);
    });
    box.appendChild(table);
    var nav = el("p", { "class": "actions" });
    if (data.offset > 0) {
      var prev = el("button", { type: "button" }, t.previous);
      prev.addEventListener("click", function () { load(Math.max(0, data.offset - data.limit)); });
      nav.appendChild(prev);
    }
    if (data.has_more) {
      var next = el("button", { type: "button" }, t.next);
      next.addEventListener("click", function () { load(data.offset + data.limit); });
      nav.appendChild(next);
    }
    box.appendChild(nav);
  }

  function setup(form) {
    var section = form.closest(".api-query");
    var box = section.querySelector(".api-result");
    var button = form.querySelector("button[type=submit]");
    var shown = form.querySelector("code.url");
    var csv = form.querySelector("a.csv");

    function params() {
      var out = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name && input.value !== "") { out.append(input.name, input.value); }
      });
      return out;
    }

    function load(offset) {
      var p = params();
      if (offset) { p.set("offset", String(offset)); }
      var url = form.getAttribute("action") + (p.toString() ? "?" + p.toString() : "");
      shown.textContent = url;
      csv.setAttribute("href", form.getAttribute("action") + ".csv" + (p.toString() ? "?" + p.toString() : ""));
      button.disabled = true;
      button.textContent = t.running;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json().then(function (data) { return [response, data]; }); })
        .then(function (pair) {
          if (!pair[0].ok) {
            box.textContent = "";
            box.appendChild(el("p", { "class": "error" }, t.error + " " + pair[0].status + ": " + pair[1].error.message));
          } else {
            draw(box, pair[1], load);
          }
        })
        .catch(function (err) {
          box.textContent = "";
          box.appendChild(el("p", { "class": "error" }, t.error + ": " + err));
        })
        .finally(function () { button.disabled = false; button.textContent = t.run; });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(0);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.api-form"), setup);
})();
