(function () {
  "use strict";
  // Everything shown comes from the JSON block as data: labels go to the canvas, tooltips,
  // completions and the details panel are DOM elements filled with textContent, so no name
  // from a source is ever parsed as HTML.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var body = document.body;
  function tooltip(lines) {
    var element = document.createElement("div");
    element.textContent = lines.join("\n");
    return element;
  }
  function withTooltips(items) {
    return items.map(function (item) {
      var copy = Object.assign({}, item);
      copy.title = tooltip(item.title);
      return copy;
    });
  }
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  // neighbours over every relationship, drawn or hidden, whatever its direction
  var adjacent = {};
  data.nodes.forEach(function (n) { adjacent[n.id] = []; });
  data.edges.forEach(function (e) {
    if (adjacent[e.from].indexOf(e.to) < 0) { adjacent[e.from].push(e.to); }
    if (adjacent[e.to].indexOf(e.from) < 0) { adjacent[e.to].push(e.from); }
  });
  var nodes = new vis.DataSet(withTooltips(data.nodes));
  var edges = new vis.DataSet(withTooltips(data.edges));
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  var physics = !!(data.options.physics && data.options.physics.enabled);

  // -- what is shown: the opening view, what was revealed, the filters ------------------
  var revealed = {};
  var everything = false;
  var filters = { cls: "", list: "", country: "" };
  var selected = null;
  function passes(n) {
    if (filters.cls && n.classes.indexOf(filters.cls) < 0) { return false; }
    if (filters.list && n.lists.indexOf(filters.list) < 0) { return false; }
    if (filters.country && n.country !== filters.country) { return false; }
    return true;
  }
  function shown(n) {
    return (everything || !n.hidden || revealed[n.id]) && (n.id === selected || passes(n));
  }
  function neighbourhood(id) {
    var set = {};
    set[id] = true;
    adjacent[id].forEach(function (m) { set[m] = true; });
    return set;
  }
  function apply() {
    var near = selected === null ? null : neighbourhood(selected);
    var visible = {};
    var nodeUpdates = data.nodes.map(function (n) {
      var show = shown(n) || (near !== null && near[n.id] && (everything || !n.hidden || revealed[n.id]));
      visible[n.id] = show;
      var faded = near !== null && !near[n.id];
      return { id: n.id, hidden: !show,
               color: faded ? data.faded.node : (n.color || null),
               font: faded ? data.faded.font : (n.font || null),
               borderWidth: n.id === selected ? data.selectedWidth : (n.borderWidth || null) };
    });
    nodes.update(nodeUpdates);
    edges.update(data.edges.map(function (e) {
      var faded = near !== null && !(e.from === selected || e.to === selected);
      return { id: e.id, hidden: !(visible[e.from] && visible[e.to]),
               color: faded ? data.faded.edge : e.color, width: faded ? 1 : e.width };
    }));
    var count = 0;
    data.nodes.forEach(function (n) { if (visible[n.id]) { count += 1; } });
    body.setAttribute("data-shown", String(count));
    body.setAttribute("data-selected", selected === null ? "" : byId[selected].iri);
    body.setAttribute("data-neighbourhood", near === null ? "" : Object.keys(near).map(function (k) { return byId[k].iri; }).sort().join(" "));
  }

  // a node revealed next to a neighbour already on the canvas, so that it appears near it
  function place(ids) {
    ids.forEach(function (id, i) {
      var anchor = adjacent[id].find(function (m) { return !nodes.get(m).hidden; });
      if (anchor === undefined) { return; }
      var at = network.getPositions([anchor])[anchor];
      var angle = (i + 1) * 2.39996;  // the golden angle: spread without a random number
      network.moveNode(id, at.x + 110 * Math.cos(angle), at.y + 110 * Math.sin(angle));
    });
  }
  function reveal(ids) {
    var fresh = ids.filter(function (id) { return byId[id].hidden && !revealed[id] && !everything; });
    fresh.forEach(function (id) { revealed[id] = true; });
    return fresh;
  }

  // -- selecting: highlight the neighbourhood, fade the rest, tell in the panel ----------
  var details = document.getElementById("details");
  function select(id, centre) {
    if (id === null) {
      selected = null;
      network.unselectAll();
      details.hidden = true;
      apply();
      return;
    }
    var fresh = reveal([id].concat(adjacent[id]));
    selected = id;
    apply();
    place(fresh);
    network.selectNodes([id], false);
    if (centre) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    }
    describe(id);
  }
  function describe(id) {
    var n = byId[id];
    details.textContent = "";
    var h = document.createElement("h2");
    h.textContent = n.names[0];
    details.appendChild(h);
    n.title.slice(1, -1).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      details.appendChild(p);
    });
    var p = document.createElement("p");
    p.textContent = adjacent[id].length + " neighbour" + (adjacent[id].length === 1 ? "" : "s") + ":";
    details.appendChild(p);
    var list = document.createElement("ul");
    adjacent[id].slice().sort(function (a, b) { return byId[a].names[0].localeCompare(byId[b].names[0]); })
      .forEach(function (m) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "link";
        b.textContent = byId[m].names[0];
        b.addEventListener("click", function () { select(m, true); });
        li.appendChild(b);
        list.appendChild(li);
      });
    details.appendChild(list);
    details.hidden = false;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0], false); } else if (!params.edges.length) { select(null); }
  });
  document.getElementById("clear").addEventListener("click", function () { select(null); });

  // -- search: completion over names, aliases and identifiers ----------------------------
  var input = document.getElementById("search");
  var list = document.getElementById("matches");
  var keys = data.nodes.map(function (n) {
    return n.names.map(function (name) { return name.toLocaleLowerCase(); });
  });
  var matches = [];
  var active = 0;
  function find(text) {
    var q = text.trim().toLocaleLowerCase();
    if (!q) { return []; }
    var found = [];
    data.nodes.forEach(function (n, i) {
      var best = null;
      keys[i].forEach(function (key, j) {
        var at = key.indexOf(q);
        if (at < 0) { return; }
        var rank = (key === q ? 0 : at === 0 ? 1 : 2) * 2 + (j === 0 ? 0 : 1);
        if (best === null || rank < best.rank) { best = { rank: rank, name: n.names[j] }; }
      });
      if (best !== null) { found.push({ id: n.id, rank: best.rank, name: best.name }); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || byId[a.id].names[0].localeCompare(byId[b.id].names[0]) || a.id - b.id;
    });
    return found.slice(0, 20);
  }
  function showMatches() {
    matches = find(input.value);
    active = 0;
    list.textContent = "";
    matches.forEach(function (m, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.textContent = byId[m.id].names[0];
      if (m.name !== byId[m.id].names[0]) {
        var alias = document.createElement("small");
        alias.textContent = "also " + m.name;
        li.appendChild(alias);
      }
      var what = document.createElement("small");
      what.textContent = [byId[m.id].classLabel, byId[m.id].country].filter(Boolean).join(", ");
      li.appendChild(what);
      if (i === active) { li.className = "active"; }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = matches.length === 0;
  }
  function choose(i) {
    var m = matches[i];
    if (!m) { return; }
    input.value = byId[m.id].names[0];
    list.hidden = true;
    if (!passes(byId[m.id])) { resetFilters(); }
    select(m.id, true);
  }
  input.addEventListener("input", showMatches);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { list.hidden = true; }
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!matches.length) { return; }
      active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      Array.prototype.forEach.call(list.children, function (li, j) { li.className = j === active ? "active" : ""; });
    }
  });
  input.addEventListener("blur", function () { list.hidden = true; });

  // -- filters by class, list and country --------------------------------------------------
  var selects = { cls: "filter-class", list: "filter-list", country: "filter-country" };
  var choices = { cls: data.filters.classes, list: data.filters.lists, country: data.filters.countries };
  Object.keys(selects).forEach(function (key) {
    var element = document.getElementById(selects[key]);
    choices[key].forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice[0];
      option.textContent = choice[1];
      element.appendChild(option);
    });
    if (!choices[key].length) { element.parentElement.hidden = true; }
    element.addEventListener("change", function () { filters[key] = element.value; apply(); });
  });
  function resetFilters() {
    Object.keys(selects).forEach(function (key) {
      filters[key] = "";
      document.getElementById(selects[key]).value = "";
    });
  }
  var all = document.getElementById("everything");
  if (!data.nodes.some(function (n) { return n.hidden; })) {
    document.getElementById("everything-box").hidden = true;
  }
  all.addEventListener("change", function () {
    everything = all.checked;
    apply();
    if (everything) { network.fit({ animation: false }); }
  });

  function settled() {
    if (body.getAttribute("data-ready") === "true") { return; }
    network.setOptions({ physics: { enabled: false } });
    if (data.focus !== null) {
      select(data.focus, false);
    } else {
      apply();
    }
    network.fit({ animation: false });
    body.setAttribute("data-ready", "true");
  }
  if (data.nodes.length === 0) {
    settled();  // nothing to stabilise: vis-network would never report it done
  } else if (physics) {
    network.once("stabilizationIterationsDone", settled);
  } else {
    network.once("afterDrawing", settled);
  }
})();
