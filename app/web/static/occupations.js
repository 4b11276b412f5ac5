// The occupation chooser, enhanced: suggestions from /occupations.json as the person types.
// Without this file the "Find" button next to each occupation box does the same in a round trip.
(function () {
  "use strict";
  var delay = 250;
  function enhance(input, index) {
    var list = document.createElement("datalist");
    list.id = "occupation-suggestions-" + index;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (query.length < 2 || /^[0-9]{4}$/.test(query) || query === asked) { return; }
      timer = setTimeout(function () {
        asked = query;
        var url = "/occupations.json?q=" + encodeURIComponent(query) + "&lang=" + encodeURIComponent(document.documentElement.lang);
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (matches) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            matches.forEach(function (match) {
              var option = document.createElement("option");
              option.value = match.code;
              option.label = match.title + " (" + match.code + ")";
              option.textContent = match.title + " (" + match.code + ")";
              list.appendChild(option);
            });
          })
          .catch(function () { /* the Find button still works */ });
      }, delay);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-occupation]"), enhance);
  });
})();
