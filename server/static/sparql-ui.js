// The query UI: YASGUI on this server's endpoint, with the example queries one click away. Result
// IRIs of the dataset open their pages on this server, literals show as their values, and results
// that count or measure something per label can be seen as a bar chart (Chart.js, served here).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("evalkg-config").textContent);
  var page = JSON.parse(document.getElementById("evalkg-page").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  document.getElementById("endpoint-url").textContent = endpoint;

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"].map(function (name) { return XSD + name; });
  // Datatypes whose lexical form reads as it is: shown without the datatype.
  var PLAIN = NUMERIC.concat(["string", "boolean", "date", "dateTime", "time", "gYear", "gYearMonth"]
    .map(function (name) { return XSD + name; }));
  var MAX_BARS = 100;
  var COLOURS = ["#1f5fa6", "#d9822b", "#3a8f5c", "#a43f6b", "#6b5ca5", "#8a6d3b"];

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where a link to an IRI goes: a dataset IRI to its page here (as server/ld/urls.py builds it),
  // another http(s) IRI to itself, anything else nowhere.
  function localHref(iri) {
    if (iri.indexOf(page.base) !== 0) return null;
    var rest = iri.slice(page.base.length), fragment = "";
    var hash = rest.indexOf("#");
    if (hash >= 0) { fragment = rest.slice(hash); rest = rest.slice(0, hash); }
    var question = page.local.indexOf("?");
    var path = question >= 0 ? page.local.slice(0, question) : page.local;
    var search = question >= 0 ? page.local.slice(question) : "";
    return path + rest + search + fragment;
  }

  function compact(iri, prefixes) {
    for (var prefix in prefixes || {}) {
      var namespace = prefixes[prefix];
      if (namespace && iri.indexOf(namespace) === 0) return prefix + ":" + iri.slice(namespace.length);
    }
    return null;
  }

  function isNumber(binding) {
    return !!binding && binding.type !== "uri" && binding.type !== "bnode" && NUMERIC.indexOf(binding.datatype) >= 0;
  }

  // A result cell as HTML: an IRI as a link, a literal as its value (its language or unusual datatype
  // in small print), a blank node as `_:id`.
  function cellHtml(binding, prefixes) {
    if (binding.type === "uri") {
      var name = compact(binding.value, prefixes);
      var text = escapeHtml(name || "<" + binding.value + ">");
      var local = localHref(binding.value);
      if (local !== null) return "<a class='iri' href='" + escapeHtml(local) + "'>" + text + "</a>";
      if (/^https?:\/\//i.test(binding.value)) {
        return "<a class='iri' target='_blank' rel='noopener noreferrer' href='" + escapeHtml(binding.value) + "'>"
          + text + "</a>";
      }
      return "<span class='iri'>" + text + "</span>";
    }
    if (binding.type === "bnode") return "<span class='bnode'>_:" + escapeHtml(binding.value) + "</span>";
    var value = escapeHtml(binding.value);
    var language = binding["xml:lang"];
    if (language) {
      return "<span lang='" + escapeHtml(language) + "'>" + value + "</span> <small class='lang'>"
        + escapeHtml(language) + "</small>";
    }
    if (isNumber(binding)) return "<span class='number'>" + value + "</span>";
    if (!binding.datatype || PLAIN.indexOf(binding.datatype) >= 0) return "<span>" + value + "</span>";
    var datatype = compact(binding.datatype, prefixes) || binding.datatype;
    return "<span>" + value + "</span> <small class='datatype' title='" + escapeHtml(binding.datatype) + "'>"
      + escapeHtml(datatype) + "</small>";
  }

  // YASR's table, with readable cells, and numbers sorted as numbers.
  class ReadableTable extends Yasr.plugins.table {
    getCellContent(binding, prefixes) {
      return "<div>" + cellHtml(binding, prefixes) + "</div>";
    }

    getColumns() {
      return super.getColumns().map(function (column, index) {
        if (index === 0) return column;
        var render = column.render;
        column.render = function (binding, type, row, meta) {
          if (type === "sort" && isNumber(binding)) return Number(binding.value);
          return render(binding, type, row, meta);
        };
        return column;
      });
    }
  }

  // What a chart of the results shows, or null: the rows need label columns (text or IRIs) and
  // numbers. The first text column labels a row; further columns join the label while rows share
  // one (a year beside a response), and the remaining number columns are the bars.
  function chartOf(results, prefixes) {
    if (!results || !results.getVariables || !results.getBindings || (results.getError && results.getError())) {
      return null;
    }
    var variables = results.getVariables() || [];
    var rows = results.getBindings() || [];
    if (!rows.length) return null;
    var kinds = {};
    variables.forEach(function (variable) {
      var bound = rows.map(function (row) { return row[variable]; }).filter(Boolean);
      kinds[variable] = !bound.length ? "empty" : bound.every(isNumber) ? "number"
        : bound.some(function (b) { return b.type !== "uri" && b.type !== "bnode"; }) ? "text" : "iri";
    });
    function ofKind(kind) { return variables.filter(function (v) { return kinds[v] === kind; }); }
    var numbers = ofKind("number"), labels = ofKind("text").concat(ofKind("iri"));
    if (!numbers.length || !labels.length) return null;

    function show(binding) {
      if (!binding) return "";
      return binding.type === "uri" ? compact(binding.value, prefixes) || binding.value : binding.value;
    }
    function labelsFor(key) {
      var ordered = variables.filter(function (v) { return key.indexOf(v) >= 0; });
      return rows.map(function (row) {
        var label = ordered.map(function (v) { return show(row[v]); }).filter(Boolean).join(" · ");
        return label || show(row[ofKind("iri")[0]]);
      });
    }
    function distinct(values) { return new Set(values).size === values.length; }

    var key = [labels[0]];
    var candidates = labels.slice(1).concat(numbers);
    while (!distinct(labelsFor(key)) && candidates.length) {
      var next = candidates.shift();
      var measuresLeft = numbers.filter(function (v) { return key.indexOf(v) < 0 && v !== next; });
      if (kinds[next] === "number" && !measuresLeft.length) break;
      key.push(next);
    }
    var measures = numbers.filter(function (v) { return key.indexOf(v) < 0; });
    var shown = rows.slice(0, MAX_BARS);
    return {
      labels: labelsFor(key).slice(0, MAX_BARS),
      series: measures.map(function (variable) {
        return {
          name: variable,
          values: shown.map(function (row) { return row[variable] ? Number(row[variable].value) : null; }),
        };
      }),
      total: rows.length,
    };
  }

  function barsIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    [[1, 9, 3, 6], [6, 3, 3, 12], [11, 6, 3, 9]].forEach(function (bar) {
      var rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      rect.setAttribute("x", bar[0]); rect.setAttribute("y", bar[1]);
      rect.setAttribute("width", bar[2]); rect.setAttribute("height", bar[3]);
      rect.setAttribute("fill", "currentColor");
      svg.appendChild(rect);
    });
    return svg;
  }

  // A YASR view beside the table: the results as horizontal bars, one bar per row and number column.
  class ChartView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = page.words.chart;
      this.priority = 5;  // below the table (10): a choice, never the default
      this.chart = null;
      yasr.on("draw", this.afterChoice.bind(this));
    }

    canHandleResults() {
      return chartOf(this.yasr.results, this.yasr.getPrefixes()) !== null;
    }

    // The chart's button shows only for results it can draw; when the chart was chosen but the new
    // results cannot be charted, YASR draws the table: make that the choice, without its notice.
    afterChoice(yasr, plugin) {
      var chartable = this.canHandleResults();
      yasr.rootEl.classList.toggle("evalkg-chartable", chartable);
      if (!chartable && plugin !== this && yasr.getSelectedPluginName() === "chart") {
        yasr.selectedPlugin = yasr.drawnPlugin;
        yasr.emptyFallbackElement();
        yasr.storeConfig();
      }
    }

    getIcon() {
      return barsIcon();
    }

    draw() {
      this.destroy();
      var data = chartOf(this.yasr.results, this.yasr.getPrefixes());
      var box = document.createElement("div");
      box.className = "evalkg-chart";
      if (data.total > data.labels.length) {
        var note = document.createElement("p");
        note.className = "evalkg-chart-note";
        note.textContent = page.words.chart_first.replace("{shown}", data.labels.length).replace("{total}", data.total);
        box.appendChild(note);
      }
      var area = document.createElement("div");
      area.className = "evalkg-chart-area";
      area.style.height = Math.max(240, data.labels.length * (10 + 14 * data.series.length) + 60) + "px";
      var canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", data.series.map(function (s) { return s.name; }).join(", "));
      area.appendChild(canvas);
      box.appendChild(area);
      this.yasr.resultsEl.appendChild(box);

      Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
      this.chart = new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, index) {
            return { label: series.name, data: series.values, backgroundColor: COLOURS[index % COLOURS.length] };
          }),
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: data.series.length > 1 } },
          scales: {
            x: { beginAtZero: true, position: "top" },
            y: {
              ticks: {
                autoSkip: false,
                callback: function (value) {
                  var label = this.getLabelForValue(value);
                  return label.length > 48 ? label.slice(0, 47) + "…" : label;
                },
              },
            },
          },
        },
      });
    }

    destroy() {
      if (this.chart) this.chart.destroy();
      this.chart = null;
    }
  }

  // The evalkg prefixes the editor starts with name IRIs in results too, beside the query's own.
  var knownPrefixes = {};
  for (var match of config.query.matchAll(/^PREFIX\s+([\w-]*):\s*<([^>]*)>/gim)) knownPrefixes[match[1]] = match[2];

  Yasr.registerPlugin("table", ReadableTable);
  Yasr.registerPlugin("chart", ChartView);
  Yasr.defaults.pluginOrder = ["table", "chart", "response"];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: config.query, autocompleters: [], prefixCcApi: null },
    yasr: { prefixes: knownPrefixes },
  });
  window.evalkgYasgui = yasgui;

  var examples = {};
  config.examples.forEach(function (example) { examples[example.name] = example; });
  document.querySelectorAll("[data-example]").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = examples[button.dataset.example];
      var tab = yasgui.getTab();
      tab.setQuery(example.query);
      tab.getYasqe().query();
    });
  });
})();
