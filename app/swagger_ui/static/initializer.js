// Starts Swagger UI on the element #swagger-ui; its data attributes carry the document's address
// and any extra Swagger UI options (OPENAPI_SWAGGER_UI_CONFIG). A file, not an inline script: the
// content security policy allows scripts from this origin only.
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui");
  var options = JSON.parse(element.dataset.config || "{}");
  options.url = element.dataset.specUrl;
  options.domNode = element;
  options.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  options.layout = "BaseLayout";
  window.ui = SwaggerUIBundle(options);
});
