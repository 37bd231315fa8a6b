(function () {
  "use strict";
  // Rows are [page, name, other names, class, country, listed]; everything shown is set as
  // text, so no name from a source is parsed as HTML.
  var rows = JSON.parse(document.getElementById("index").textContent);
  var keys = rows.map(function (r) {
    return [r[1]].concat(r[2]).map(function (n) { return n.toLocaleLowerCase(); });
  });
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var count = document.getElementById("count");
  function search(text) {
    var q = text.trim().toLocaleLowerCase();
    results.textContent = "";
    if (!q) { count.textContent = ""; return; }
    var found = [];
    for (var i = 0; i < rows.length; i += 1) {
      var best = -1;
      var via = null;
      for (var j = 0; j < keys[i].length; j += 1) {
        var at = keys[i][j].indexOf(q);
        if (at < 0) { continue; }
        var rank = (keys[i][j] === q ? 0 : at === 0 ? 2 : 4) + (j === 0 ? 0 : 1);
        if (best < 0 || rank < best) { best = rank; via = j === 0 ? null : rows[i][2][j - 1]; }
      }
      if (best >= 0) { found.push([best, i, via]); }
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    count.textContent = found.length + (found.length === 1 ? " entity" : " entities") +
      (found.length > 100 ? " (the first 100 shown)" : "");
    found.slice(0, 100).forEach(function (f) {
      var r = rows[f[1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r[0];
      a.textContent = r[1];
      li.appendChild(a);
      var small = document.createElement("small");
      small.textContent = [f[2] ? "also " + f[2] : "", r[3], r[4], r[5] ? "listed" : ""].filter(Boolean).join(" · ");
      li.appendChild(small);
      results.appendChild(li);
    });
  }
  input.addEventListener("input", function () { search(input.value); });
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; }
  search(input.value);
  // when the index was read and searchable, for benchmarks/site.py
  document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  document.body.setAttribute("data-ready", "true");
})();
