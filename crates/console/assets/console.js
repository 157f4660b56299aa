// scpfm console: progressive enhancement only — every page works without it.
// Tooltips for chart elements (their <title>), sortable tables, confirmations, legends.
(function () {
  "use strict";
  function tooltips(box) {
    var tip = document.createElement("div");
    tip.className = "tip"; tip.hidden = true; tip.setAttribute("role", "status");
    box.appendChild(tip);
    function show(el) {
      var title = el.querySelector("title"); if (!title) return;
      var r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
      tip.textContent = title.textContent;
      tip.style.left = (r.left - b.left + r.width / 2) + "px";
      tip.style.top = (r.top - b.top) + "px";
      tip.hidden = false;
    }
    box.querySelectorAll(".bar, .point").forEach(function (el) {
      el.addEventListener("mouseenter", function () { show(el); });
      el.addEventListener("focus", function () { show(el); });
      el.addEventListener("mouseleave", function () { tip.hidden = true; });
      el.addEventListener("blur", function () { tip.hidden = true; });
    });
  }
  function legend(box) {
    var seen = {}, list = document.createElement("ul");
    list.className = "legend";
    box.querySelectorAll("[data-series]").forEach(function (el) {
      var name = el.getAttribute("data-series");
      if (seen[name]) return; seen[name] = true;
      var item = document.createElement("li"), swatch = document.createElement("i");
      swatch.style.background = el.getAttribute("fill") === "none" ? el.getAttribute("stroke") : el.getAttribute("fill");
      item.appendChild(swatch); item.appendChild(document.createTextNode(name));
      list.appendChild(item);
    });
    if (list.children.length > 1) box.appendChild(list);
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col]; if (!cell) return "";
          var raw = cell.getAttribute("data-sort");
          return raw !== null ? raw : cell.textContent.trim();
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
          var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart-box").forEach(function (box) {
      tooltips(box); legend(box);
      // On a narrow screen the chart scrolls: show its latest periods first.
      box.scrollLeft = box.scrollWidth;
    });
    document.querySelectorAll("table.sortable").forEach(sortable);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) { if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault(); });
    });
  });
})();
