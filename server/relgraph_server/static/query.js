// relgraph query page: the bundled SPARQL editor (vendor/sparql-editor.min.js, CodeMirror 6:
// highlighting, prefix completion, error marker), examples, fetch() results as a sortable,
// paged table with links to entity pages, a bar chart where the results are label + number,
// download links and a shareable URL. The page works without it (plain form GET).
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
  var share = document.getElementById("share");
  var run = document.getElementById("run");
  var ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  var PAGE = 25;
  var editor = null;

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  if (window.RelgraphEditor) {
    gutter.hidden = true;
    editor = window.RelgraphEditor.create(query, {
      prefixes: data.prefixes, onRun: function () { submit(); }, label: t.query_label
    });
    document.getElementById("editor").classList.add("cm");
    document.getElementById("completion-hint").hidden = false;
    document.getElementById("query-label").addEventListener("click", function () { editor.focus(); });
  } else {
    var renumber = function () {
      var n = query.value.split("\n").length, lines = [];
      for (var i = 1; i <= n; i++) lines.push(i);
      gutter.textContent = lines.join("\n");
      gutter.scrollTop = query.scrollTop;
    };
    query.addEventListener("input", renumber);
    query.addEventListener("scroll", function () { gutter.scrollTop = query.scrollTop; });
    query.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); submit(); }
    });
    renumber();
  }
  function getText() { return editor ? editor.getValue() : query.value; }
  function setText(text) {
    if (editor) editor.setValue(text); else { query.value = text; query.dispatchEvent(new Event("input")); }
  }

  select.addEventListener("change", function () {
    data.examples.forEach(function (ex) { if (ex.name === select.value) setText(ex.query); });
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

  // an entity of this dataset links to its page, any other IRI to its DESCRIBE (as ui._iri_link)
  function iriHref(iri) {
    if (iri.indexOf(data.base + "id/") === 0 && iri.indexOf("#") < 0) {
      return data.root + "/" + iri.slice(data.base.length) + "?lang=" + data.lang;
    }
    return data.endpoint + "?" + new URLSearchParams({ query: "DESCRIBE <" + iri + ">", lang: data.lang });
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = el("a", shortIri(term.value));
      a.href = iriHref(term.value);
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

  var NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger|gYear)$/;
  function isNumber(term) {
    return term && term.type !== "uri" && term.type !== "bnode" && term.datatype && NUMERIC.test(term.datatype)
      && !isNaN(parseFloat(term.value));
  }
  function sortKey(term) {
    if (!term) return "";
    if (isNumber(term)) return parseFloat(term.value);
    return term.type === "uri" ? shortIri(term.value).toLowerCase() : String(term.value).toLowerCase();
  }

  // A bar chart when the results are one label column and one numeric column.
  function chart(vars, rows) {
    if (rows.length < 2 || vars.length < 2) return null;
    var num = null, label = null;
    vars.forEach(function (v) {
      var all = rows.every(function (b) { return isNumber(b[v]); });
      if (all && num === null) num = v;
      else if (!all && label === null && rows.every(function (b) { return b[v]; })) label = v;
    });
    if (num === null || label === null) return null;
    var top = rows.slice().sort(function (a, b) { return parseFloat(b[num].value) - parseFloat(a[num].value); })
      .slice(0, 15);
    var max = Math.max.apply(null, top.map(function (b) { return parseFloat(b[num].value); })) || 1;
    var NS = "http://www.w3.org/2000/svg", rowH = 22, labelW = 220, barW = 420;
    var figure = el("figure", null, "result-chart");
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + (labelW + barW + 70) + " " + (top.length * rowH + 4));
    svg.setAttribute("role", "img");
    var caption = fmt(t.chart_caption, { value: num, label: label, n: top.length });
    svg.setAttribute("aria-label", caption);
    top.forEach(function (b, i) {
      var value = parseFloat(b[num].value);
      var name = b[label].type === "uri" ? shortIri(b[label].value) : b[label].value;
      var y = i * rowH + 2;
      var text = document.createElementNS(NS, "text");
      text.setAttribute("x", labelW - 6); text.setAttribute("y", y + 15); text.setAttribute("text-anchor", "end");
      text.textContent = name.length > 34 ? name.slice(0, 33) + "…" : name;
      var rect = document.createElementNS(NS, "rect");
      rect.setAttribute("x", labelW); rect.setAttribute("y", y + 3); rect.setAttribute("height", rowH - 6);
      rect.setAttribute("width", Math.max(1, value / max * barW));
      var title = document.createElementNS(NS, "title");
      title.textContent = name + ": " + b[num].value;
      rect.appendChild(title);
      var val = document.createElementNS(NS, "text");
      val.setAttribute("x", labelW + Math.max(1, value / max * barW) + 4); val.setAttribute("y", y + 15);
      val.textContent = b[num].value;
      svg.appendChild(text); svg.appendChild(rect); svg.appendChild(val);
    });
    figure.appendChild(svg);
    figure.appendChild(el("figcaption", caption));
    return figure;
  }

  function table(vars, rows) {
    var state = { sortBy: null, desc: false, page: 0 };
    var wrap = el("div", null, "results-table");
    var tableWrap = el("div", null, "table-wrap");
    var tbl = el("table", null, "sortable");
    var headRow = el("tr");
    var buttons = [];
    vars.forEach(function (v) {
      var th = el("th");
      th.setAttribute("scope", "col");
      th.setAttribute("aria-sort", "none");
      var button = el("button", "?" + v, "sort");
      button.type = "button";
      button.setAttribute("aria-label", fmt(t.sort_by, { name: "?" + v }));
      button.addEventListener("click", function () {
        state.desc = state.sortBy === v ? !state.desc : false;
        state.sortBy = v;
        state.page = 0;
        draw();
      });
      th.appendChild(button);
      buttons.push(th);
      headRow.appendChild(th);
    });
    tbl.appendChild(el("thead")).appendChild(headRow);
    var body = el("tbody");
    tbl.appendChild(body);
    tableWrap.appendChild(tbl);
    var pager = el("nav", null, "pager");
    pager.setAttribute("aria-label", t.results);
    var prev = el("button", t.prev), next = el("button", t.next), where = el("span", "", "page-of");
    prev.type = next.type = "button";
    prev.className = next.className = "page";
    where.setAttribute("aria-live", "polite");
    prev.addEventListener("click", function () { state.page--; draw(); });
    next.addEventListener("click", function () { state.page++; draw(); });
    pager.appendChild(prev); pager.appendChild(where); pager.appendChild(next);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));

    function draw() {
      var sorted = rows;
      if (state.sortBy !== null) {
        var v = state.sortBy, sign = state.desc ? -1 : 1;
        sorted = rows.slice().sort(function (a, b) {
          var x = sortKey(a[v]), y = sortKey(b[v]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return x < y ? -sign : x > y ? sign : 0;
        });
      }
      vars.forEach(function (name, i) {
        buttons[i].setAttribute("aria-sort", state.sortBy === name ? (state.desc ? "descending" : "ascending") : "none");
      });
      body.textContent = "";
      sorted.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (b) {
        var tr = el("tr");
        vars.forEach(function (name) { tr.appendChild(cell(b[name])); });
        body.appendChild(tr);
      });
      where.textContent = fmt(t.page_of, { page: state.page + 1, pages: pages });
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }
    draw();
    wrap.appendChild(el("p", t.sort_hint, "hint"));
    wrap.appendChild(tableWrap);
    if (pages > 1) wrap.appendChild(pager);
    return wrap;
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
    var figure = chart(vars, rows);
    if (figure) output.appendChild(figure);
    output.appendChild(table(vars, rows));
  }

  function showError(status, body) {
    var pre = el("pre", null, "error");
    pre.appendChild(el("strong", t.error + " " + status + ":"));
    pre.appendChild(document.createTextNode(" " + body));
    var m = /line (\d+)\D{1,12}column (\d+)/i.exec(body) || /at (\d+):(\d+)/.exec(body);
    if (m) {
      var where = fmt(t.error_at, { line: m[1], column: m[2] });
      var p = el("p", where, "error-at");
      output.appendChild(p);
      if (editor) editor.setError(parseInt(m[1], 10), parseInt(m[2], 10), body);
    }
    output.appendChild(pre);
  }

  function setShare(text) {
    var url = new URL(window.location.href);
    url.search = new URLSearchParams({ query: text, lang: data.lang }).toString();
    window.history.replaceState(null, "", url);
    share.href = url.toString();
    share.hidden = false;
  }

  function submit() {
    var text = getText();
    var started = performance.now();
    run.disabled = true;
    run.textContent = t.running;
    output.textContent = "";
    downloads.hidden = true;
    if (editor) editor.clearError();
    return fetch(data.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT },
      body: new URLSearchParams({ query: text })
    }).then(function (resp) {
      var type = resp.headers.get("Content-Type") || "";
      return resp.text().then(function (body) {
        var ms = performance.now() - started;
        setShare(text);
        if (!resp.ok) { showError(resp.status, body); return; }
        if (type.indexOf("application/sparql-results+json") === 0) {
          render(JSON.parse(body), ms);
          setDownloads("select", text);
        } else {
          output.appendChild(el("pre", body, "graph"));
          setDownloads("graph", text);
        }
      });
    }).catch(function (err) {
      output.appendChild(el("pre", t.error + ": " + err, "error"));
    }).finally(function () {
      run.disabled = false;
      run.textContent = t.run;
      output.setAttribute("data-done", "1");
    });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });
  // a shared link (?query=...) was run by the server; run it again here for the sortable, paged table
  if (output.getAttribute("data-server-result")) submit();
  else if (output.querySelector("pre.error") && editor) {
    var m = /line (\d+)\D{1,12}column (\d+)/i.exec(output.textContent) || /at (\d+):(\d+)/.exec(output.textContent);
    if (m) editor.setError(parseInt(m[1], 10), parseInt(m[2], 10), output.textContent.trim());
  }
})();
