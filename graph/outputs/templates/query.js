(function () {
  "use strict";
  // Everything a result holds is set as text: values come from untrusted sources.
  var setup = JSON.parse(document.getElementById("setup").textContent);
  var named = document.getElementById("named");
  var box = document.getElementById("query");
  var paramsBox = document.getElementById("params");
  var description = document.getElementById("description");
  var status = document.getElementById("status");
  var table = document.getElementById("results");
  var links = { csv: document.getElementById("csv"), json: document.getElementById("json"),
                permalink: document.getElementById("permalink") };
  var XSD = "http://www.w3.org/2001/XMLSchema#";

  function say(text, error) {
    status.textContent = text;
    status.className = error ? "error" : "";
  }

  // -- named queries and their parameters ----------------------------------------------------
  function showParams(query, values) {
    paramsBox.textContent = "";
    (query ? query.params : []).forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + " (" + p.type + (p.default !== null ? ", default " + p.default : "") + ")";
      var input = document.createElement("input");
      input.name = p.name;
      input.dataset.type = p.type;
      input.placeholder = p.default !== null ? p.default : "optional";
      if (values && values[p.name] !== undefined) { input.value = values[p.name]; }
      label.appendChild(input);
      var help = document.createElement("small");
      help.textContent = p.help;
      label.appendChild(help);
      paramsBox.appendChild(label);
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") { run(); } });
    });
  }
  function choose(name, values) {
    var query = setup.queries[name] || null;
    named.value = query ? name : "";
    description.textContent = query ? query.description : "";
    if (query) { box.value = query.text; }
    showParams(query, values);
  }
  named.addEventListener("change", function () { choose(named.value, null); });

  function term(type, value) {
    if (type === "iri") {
      if (value.indexOf("kgr:") === 0) { value = setup.prefixes.kgr + value.slice(4); }
      if (!/^https?:\/\/[^\s<>"{}|^`\\]+$/.test(value)) { throw new Error("needs an IRI (https://... or kgr:kind/slug), not " + JSON.stringify(value)); }
      return "<" + value + ">";
    }
    if (type === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) { throw new Error("needs a date YYYY-MM-DD, not " + JSON.stringify(value)); }
      return "\"" + value + "\"^^<" + XSD + "date>";
    }
    if (type === "integer") {
      if (!/^-?\d+$/.test(value)) { throw new Error("needs a whole number, not " + JSON.stringify(value)); }
      return value;
    }
    return "\"" + value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n").replace(/\r/g, "\\r") + "\"";
  }
  // the values go first inside the WHERE group, as the CLI binds them, so that filters see them
  function bound(text) {
    var names = [];
    var terms = [];
    Array.prototype.forEach.call(paramsBox.querySelectorAll("input"), function (input) {
      var value = input.value.trim() || (input.placeholder !== "optional" ? input.placeholder : "");
      if (!value) { return; }
      try {
        terms.push(term(input.dataset.type, value));
      } catch (error) {
        throw new Error("parameter " + input.name + " " + error.message);
      }
      names.push("?" + input.name);
    });
    if (!names.length) { return text; }
    var blank = text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|#[^\n]*/g, function (m) { return m.replace(/[^\n]/g, " "); });
    var at = blank.search(/\bWHERE\s*\{/i);
    if (at < 0) { throw new Error("the query has no WHERE { ... } for its parameters"); }
    var brace = blank.indexOf("{", at);
    return text.slice(0, brace + 1) + " VALUES (" + names.join(" ") + ") { (" + terms.join(" ") + ") }" + text.slice(brace + 1);
  }
  // the project's prefixes, for every query that does not declare them itself: the lines to
  // put before the query (error positions are taken back to the user's own lines below)
  function prefixLines(text) {
    var head = "";
    Object.keys(setup.prefixes).forEach(function (p) {
      if (!new RegExp("PREFIX\\s+" + p + ":", "i").test(text)) { head += "PREFIX " + p + ": <" + setup.prefixes[p] + ">\n"; }
    });
    return head;
  }
  // kgr:org/yitu, as the result table shows an IRI, is not a SPARQL prefixed name: a "/" may
  // only stand in one escaped. Each such "/" becomes "\/" (kgr:org\/yitu), which adds no line;
  // strings, comments and <IRIs> are left alone
  var TOKENS = /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|<[^<>"\s]*>)|(^|[^\w:])(kgr:)([A-Za-z0-9_\-]+\/[A-Za-z0-9_\-.\/%]*)/g;
  function escapeNames(text) {
    return text.replace(TOKENS, function (all, skip, before, prefix, local) {
      if (skip !== undefined) { return all; }
      var trail = "";
      while (/[.;,]$/.test(local)) { trail = local.slice(-1) + trail; local = local.slice(0, -1); }
      return before + prefix + local.replace(/\//g, "\\/") + trail;
    });
  }
  // "at LINE:COLUMN" in an error, counted in the text sent, as the user's line and column
  function userPosition(message, head, sent, typed) {
    var added = head.split("\n").length - 1;
    return message.replace(/\bat (\d+):(\d+)/g, function (all, l, c) {
      var line = Number(l) - added;
      if (line < 1) { return "in the PREFIX lines the page adds (" + all + ")"; }
      var mine = (typed.split("\n")[line - 1] || ""), theirs = (sent.split("\n")[line - 1] || "");
      var column = Number(c), i = 0, j = 0;
      // walk both lines together: the escapes the page added are not the user's columns
      while (j < column - 1 && j < theirs.length) {
        if (theirs[j] === "\\" && theirs[j + 1] === "/" && mine[i] === "/") { j += 1; continue; }
        i += 1;
        j += 1;
      }
      return "at " + line + ":" + (i + 1 + Math.max(0, column - 1 - j));
    });
  }

  // -- running, and the results as a table ----------------------------------------------------
  function entityLink(iri) {
    var base = setup.prefixes.kgr;
    if (iri.indexOf(base) !== 0) { return null; }
    var tail = iri.slice(base.length);
    return /^[A-Za-z0-9._~%-]+(\/[A-Za-z0-9._~%-]+)*$/.test(tail) ? "entity/" + tail : null;
  }
  function cell(value) {
    var td = document.createElement("td");
    if (!value) { return td; }
    if (value.type === "uri") {
      var href = entityLink(value.value);
      var node = document.createElement(href ? "a" : "span");
      if (href) { node.href = href; }
      var short = value.value;
      Object.keys(setup.prefixes).forEach(function (p) {
        if (value.value.indexOf(setup.prefixes[p]) === 0 && short === value.value) { short = p + ":" + value.value.slice(setup.prefixes[p].length); }
      });
      node.textContent = short;
      node.title = value.value;
      td.appendChild(node);
    } else {
      td.className = "lit";
      td.textContent = value.value;
      var note = value["xml:lang"] ? "@" + value["xml:lang"] : (value.datatype && value.datatype !== XSD + "string" ? " " + value.datatype.replace(XSD, "xsd:") : "");
      if (note) {
        var small = document.createElement("small");
        small.textContent = note;
        td.appendChild(small);
      }
    }
    return td;
  }
  function show(json) {
    table.textContent = "";
    if (json.boolean !== undefined) { say("answer: " + json.boolean); return; }
    var vars = json.head.vars;
    var head = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = document.createElement("tbody");
    json.results.bindings.forEach(function (row) {
      var tr = document.createElement("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    var n = json.results.bindings.length;
    say(n + (n === 1 ? " row" : " rows"));
    document.body.setAttribute("data-rows", String(n));
  }
  function sparqlUrl(text, format) {
    return "sparql?" + new URLSearchParams({ query: text, format: format }).toString();
  }
  function permalink() {
    var params = new URLSearchParams();
    if (named.value) {
      params.set("name", named.value);
      Array.prototype.forEach.call(paramsBox.querySelectorAll("input"), function (input) {
        if (input.value.trim()) { params.set("param." + input.name, input.value.trim()); }
      });
    } else {
      params.set("query", box.value);
    }
    return "?" + params.toString();
  }
  function run() {
    var text, head, typed, sent;
    try {
      typed = bound(box.value);
      sent = escapeNames(typed);
      head = prefixLines(sent);
      text = head + sent;
    } catch (error) {
      say(error.message, true);
      return;
    }
    say("running…");
    document.body.removeAttribute("data-rows");
    links.csv.href = sparqlUrl(text, "csv");
    links.csv.download = (named.value || "query") + ".csv";
    links.json.href = sparqlUrl(text, "json");
    links.json.download = (named.value || "query") + ".json";
    links.permalink.href = permalink();
    [links.csv, links.json, links.permalink].forEach(function (a) { a.hidden = false; });
    fetch("sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query",
                                                 "Accept": "application/sparql-results+json" }, body: text })
      .then(function (response) {
        if (!response.ok) { return response.text().then(function (t) { throw new Error(t); }); }
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        table.textContent = "";
        say(userPosition(String(error.message || error), head, sent, typed), true);
      });
  }
  document.getElementById("run").addEventListener("click", run);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { run(); }
  });

  // -- a link that reproduces a query: ?query=... or ?name=...&param.x=... ------------------
  var given = new URLSearchParams(window.location.search);
  if (given.get("name") && setup.queries[given.get("name")]) {
    var values = {};
    given.forEach(function (value, key) { if (key.indexOf("param.") === 0) { values[key.slice(6)] = value; } });
    choose(given.get("name"), values);
    run();
  } else if (given.get("query")) {
    box.value = given.get("query");
    run();
  }
  document.body.setAttribute("data-ready", "true");
})();
