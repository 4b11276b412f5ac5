// The calculator's score, updated as the form is filled in: an enhancement only. Without this
// file (or with it failing) the "Calculate the score" button gives the same result in a round
// trip. The page itself is asked, as the button would ask it, and only its result is taken, so
// the score shown is always the server's; the focus never moves while the person types.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-score]");
  var status = document.getElementById("live-score-status");
  if (!form || !status || !window.fetch || !window.DOMParser) { return; }
  var asked = 0, timer = null;

  function update() {
    var number = ++asked;
    var data = new FormData(form);
    data.set("action", "save");
    // form.action would be its buttons, which are named "action": read the attribute
    fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (number !== asked) { return; }  // a newer change is on its way
        form.removeAttribute("data-live-pending");
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("result");
        var shown = document.getElementById("result");
        if (!fresh) {
          if (shown) { shown.hidden = true; }
          status.textContent = status.getAttribute("data-incomplete");
          return;
        }
        fresh.removeAttribute("data-autofocus");
        if (shown) { shown.replaceWith(fresh); } else { form.parentNode.insertBefore(fresh, form); }
        var total = fresh.querySelector("[data-score=total]");
        status.textContent = status.getAttribute("data-updated") + (total ? " " + total.textContent.trim() : "");
      })
      .catch(function () { form.removeAttribute("data-live-pending"); /* the button still works */ });
  }

  function soon(delay) {
    form.setAttribute("data-live-pending", "");  // until the answer to the latest change is shown
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(update, delay);
  }

  form.addEventListener("change", function () { soon(150); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "INPUT" && event.target.type !== "checkbox" && event.target.type !== "radio") { soon(700); }
  });
})();
