// The query UI: YASGUI on this server's endpoint, with the example queries one click away.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("evalkg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  document.getElementById("endpoint-url").textContent = endpoint;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: config.query, autocompleters: [], prefixCcApi: null },
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
