// relgraph query page: line numbers, examples, fetch() results, download links.
// Served by the app itself; the page works without it (plain form GET).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var t = data.t;
  var form = document.getElementById("query-form");
  var query = document.getElementById("query");
  var gutter = document.getElementById("gutter");
  var select = document.getElementById("examples");
  var output = document.getElementById("output");
  var downloads = document.getElementById("downloads");
  var run = document.getElementById("run");
  var ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

  function renumber() {
    var n = query.value.split("\n").length;
    var lines = [];
    for (var i = 1; i <= n; i++) lines.push(i);
    gutter.textContent = lines.join("\n");
    gutter.scrollTop = query.scrollTop;
  }
  query.addEventListener("input", renumber);
  query.addEventListener("scroll", function () { gutter.scrollTop = query.scrollTop; });
  query.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      submit();
    } else if (ev.key === "Tab" && !ev.shiftKey) {
      ev.preventDefault();
      var s = query.selectionStart, e = query.selectionEnd;
      query.value = query.value.slice(0, s) + "  " + query.value.slice(e);
      query.selectionStart = query.selectionEnd = s + 2;
      renumber();
    }
  });
  renumber();

  select.addEventListener("change", function () {
    data.examples.forEach(function (ex) {
      if (ex.name === select.value) { query.value = ex.query; renumber(); }
    });
  });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function shortIri(iri) {
    for (var prefix in data.prefixes) {
      var ns = data.prefixes[prefix];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = el("a", shortIri(term.value));
      a.href = data.endpoint + "?" + new URLSearchParams({ query: "DESCRIBE <" + term.value + ">", lang: data.lang });
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      var suffix = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? "^^" + shortIri(term.datatype) : "");
      if (suffix) td.appendChild(el("span", suffix, "suffix"));
    }
    return td;
  }

  function setDownloads(kind, text) {
    downloads.textContent = t.download + ": ";
    data.downloads[kind === "graph" ? "graph" : "select"].forEach(function (d) {
      var a = el("a", d[0]);
      a.href = data.endpoint + "?" + new URLSearchParams({ query: text, format: d[1] });
      a.setAttribute("download", "");
      downloads.appendChild(a);
      downloads.appendChild(document.createTextNode(" "));
    });
    downloads.hidden = false;
  }

  function render(json, ms) {
    output.textContent = "";
    if (typeof json.boolean === "boolean") {
      var p = el("p", t.answer + ": ", "answer");
      p.appendChild(el("strong", String(json.boolean)));
      output.appendChild(p);
      return;
    }
    var vars = json.head.vars || [];
    var rows = json.results.bindings;
    output.appendChild(el("p", rows.length + " " + t.rows + " · " + Math.round(ms) + " ms", "meta"));
    if (!rows.length) { output.appendChild(el("p", t.no_results)); return; }
    var wrap = el("div", null, "table-wrap");
    var table = el("table");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", "?" + v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (b) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    output.appendChild(wrap);
  }

  function submit() {
    var text = query.value;
    var started = performance.now();
    run.disabled = true;
    run.textContent = t.running;
    output.textContent = "";
    downloads.hidden = true;
    fetch(data.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT },
      body: new URLSearchParams({ query: text })
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (body) {
        var ms = performance.now() - started;
        if (!resp.ok) {
          var pre = el("pre", null, "error");
          pre.appendChild(el("strong", t.error + " " + resp.status + ":"));
          pre.appendChild(document.createTextNode(" " + body));
          output.appendChild(pre);
          return;
        }
        if (type.indexOf("application/sparql-results+json") === 0) {
          render(JSON.parse(body), ms);
          setDownloads("select", text);
        } else {
          output.appendChild(el("pre", body, "graph"));
          setDownloads("graph", text);
        }
        var url = new URL(window.location.href);
        url.search = new URLSearchParams({ query: text, lang: data.lang }).toString();
        window.history.replaceState(null, "", url);
      });
    }).catch(function (err) {
      output.appendChild(el("pre", t.error + ": " + err, "error"));
    }).finally(function () {
      run.disabled = false;
      run.textContent = t.run;
    });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });
})();
