// /editor: YASGUI (from static/vendor/, installed by `make vendor`) set up for this server. The page's
// JSON config (templates/editor.html) gives the endpoint, the ontology's prefixes and terms, and the
// saved queries. Completion uses only those lists: YASGUI's own completers ask prefix.cc and LOV,
// which a server without internet (and the tests) cannot reach.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("hckg-editor-config").textContent);
  var Yasqe = Yasgui.Yasqe;

  function local(name, base, list) {
    return Object.assign({}, Yasqe.Autocompleters[base], {
      name: name, bulk: true, persistenceId: null, autoShow: base === "prefixes",
      get: function () { return Promise.resolve(list); }
    });
  }
  Yasqe.registerAutocompleter(local("hckg-prefixes", "prefixes", config.prefixLines), false);
  Yasqe.registerAutocompleter(local("hckg-classes", "class", config.classes), false);
  Yasqe.registerAutocompleter(local("hckg-properties", "property", config.properties), false);
  Yasqe.defaults.autocompleters = ["hckg-prefixes", "variables", "hckg-classes", "hckg-properties"];
  Yasqe.defaults.value = config.query;
  Yasgui.Yasr.defaults.prefixes = config.prefixes;
  Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "response"];

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    // Tabs are kept in the browser per endpoint, so this server's tabs never mix with another's.
    persistenceId: "hckg-" + config.endpoint
  });
  window.hckgYasgui = yasgui;

  // The data's IRIs open on this server's own pages (where the w3id redirect may not point yet):
  // rewritten as the pointer goes down, so a click, a middle click and "open in new tab" all follow it.
  document.getElementById("yasgui").addEventListener("mousedown", function (event) {
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a) return;
    var href = a.getAttribute("href");
    if (href.indexOf(config.baseIri + "id/") === 0 || href.indexOf(config.baseIri + "def") === 0) {
      a.setAttribute("href", "/" + href.slice(config.baseIri.length));
    }
  }, true);

  // A saved query opens in a tab of its own, run at once; without JavaScript the link opens /editor?query=...
  Array.prototype.forEach.call(document.querySelectorAll("a[data-example]"), function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = yasgui.addTab(true, { name: a.dataset.example, yasqe: { value: a.dataset.query } });
      tab.query();
    });
  });
})();
