// A YASR "chart" view of our own: @triply/yasgui ships table, response, boolean and error views only.
// A horizontal bar per row: the bar's length is the first numeric column, its label the first other
// column (an IRI's last segment when there is no label column). Plain SVG, nothing fetched.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  function isNumber(binding) {
    return binding && binding.type !== "uri" && binding.value !== "" && !isNaN(Number(binding.value));
  }
  function columns(results) {
    var variables = results.getVariables();
    var rows = results.getBindings() || [];
    var value = variables.find(function (v) { return rows.length && rows.every(function (r) { return isNumber(r[v]); }); });
    var label = variables.find(function (v) { return v !== value && rows.some(function (r) { return r[v] && r[v].type !== "uri"; }); })
      || variables.find(function (v) { return v !== value; });
    return { value: value, label: label, rows: rows };
  }
  function element(name, attributes, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function Chart(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; }
  Chart.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings || !results.getBindings()) return false;
    var found = columns(results);
    return !!found.value && !!found.label && found.rows.length > 0;
  };
  Chart.prototype.draw = function () {
    var found = columns(this.yasr.results);
    var rows = found.rows.slice(0, 200);
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r[found.value].value); }).concat([0]));
    var width = 760, labelWidth = 260, bar = 22, height = rows.length * bar + 30;
    var svg = element("svg", { "class": "hckg-chart", width: width, height: height, viewBox: "0 0 " + width + " " + height,
                               role: "img", "font-family": "system-ui,sans-serif", "font-size": "12" });
    svg.appendChild(element("title", {}, found.value + " by " + found.label));
    rows.forEach(function (row, i) {
      var name = row[found.label] ? row[found.label].value : "";
      if (row[found.label] && row[found.label].type === "uri") name = name.replace(/.*[\/#]/, "");
      var value = Number(row[found.value].value);
      var length = max > 0 ? (width - labelWidth - 60) * value / max : 0;
      var g = element("g", { "class": "bar", "data-label": name, "data-value": String(value) });
      g.appendChild(element("text", { x: labelWidth - 6, y: i * bar + 15, "text-anchor": "end" }, name));
      g.appendChild(element("rect", { x: labelWidth, y: i * bar + 3, width: length, height: bar - 6, fill: "#2f6f9f" }));
      g.appendChild(element("text", { x: labelWidth + length + 4, y: i * bar + 15 }, row[found.value].value));
      svg.appendChild(g);
    });
    this.yasr.resultsEl.appendChild(svg);
  };
  Chart.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "\u2587";
    return icon;
  };
  Yasgui.Yasr.registerPlugin("chart", Chart);
})();
