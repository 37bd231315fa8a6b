(function () {
  "use strict";
  // Everything shown comes from the JSON block as data: labels go to the canvas, tooltips are
  // DOM elements filled with textContent, so no name from a source is ever parsed as HTML.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
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
  var nodes = new vis.DataSet(withTooltips(data.nodes));
  var edges = new vis.DataSet(withTooltips(data.edges));
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  function settled() {
    if (document.body.getAttribute("data-ready") === "true") { return; }
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    document.body.setAttribute("data-ready", "true");
  }
  if (data.nodes.length === 0) {
    settled();  // nothing to stabilise: vis-network would never report it done
  } else if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", settled);
  } else {
    network.once("afterDrawing", settled);
  }
})();
