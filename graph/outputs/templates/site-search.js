(function () {
  "use strict";
  // Rows are [page, name, other names, class, country, listed, keys]; everything shown is set as
  // text, so no name from a source is parsed as HTML. The keys are the matcher's
  // (graph.resolve.matching.search_keys); a query that no name contains is scored against them
  // as graph.resolve.matching.search_score does: at most one edit per four letters.
  var indexNode = document.getElementById("index");
  var rows = JSON.parse(indexNode.textContent);
  var review = parseFloat(indexNode.getAttribute("data-review") || "0.7");
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "");
  }
  // edits (a swap of neighbours counts one), as rapidfuzz's OSA distance
  function edits(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i += 1) { d.push([i]); }
    for (j = 1; j <= b.length; j += 1) { d[0].push(j); }
    for (i = 1; i <= a.length; i += 1) {
      for (j = 1; j <= b.length; j += 1) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }
  function similarity(a, b) {
    if (a === b) { return 1; }
    var longest = Math.max(a.length, b.length), allowed = Math.floor(longest / 4);
    if (!allowed || Math.abs(a.length - b.length) > allowed) { return 0; }
    var n = edits(a, b);
    return n > allowed ? 0 : Math.round((1 - n / longest) * 1000) / 1000;
  }
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
    var fq = fold(text);
    for (var i = 0; i < rows.length; i += 1) {
      var best = -1;
      var via = null;
      var close = null;
      for (var j = 0; j < keys[i].length; j += 1) {
        var at = keys[i][j].indexOf(q);
        if (at < 0) { continue; }
        var rank = (keys[i][j] === q ? 0 : at === 0 ? 2 : 4) + (j === 0 ? 0 : 1);
        if (best < 0 || rank < best) { best = rank; via = j === 0 ? null : rows[i][2][j - 1]; }
      }
      if (best < 0 && fq.length >= 4) {
        var score = 0;
        for (var k = 0; k < rows[i][6].length; k += 1) { score = Math.max(score, similarity(fq, rows[i][6][k])); }
        if (score >= review) { best = 6 + (1 - score); via = null; close = score; }
      }
      if (best >= 0) { found.push([best, i, via, close]); }
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
      small.textContent = [f[2] ? "also " + f[2] : "", f[3] ? "spelled alike (" + f[3] + ")" : "", r[3], r[4], r[5] ? "listed" : ""].filter(Boolean).join(" · ");
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
