// relgraph pages: small enhancements; every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) { return; }
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-done") || "✓";
        button.classList.add("done");
        setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1600);
      });
    });
  });
  // "/" focuses the search box, as on many sites
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (event.key === "/" && active && !/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); }
    }
  });
})();
