// Enhancements only: every page works without this file.
// After a form comes back with errors, move the focus to the error summary, so a keyboard or
// screen-reader user hears what to fix first (the GOV.UK Design System does the same).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
});
