// The candidate's test page: a countdown to the server's deadline (the server decides; this
// only shows it), and a visible warning when an autosave did not reach the server.
(function () {
  "use strict";
  var countdown = document.getElementById("countdown");
  if (countdown && countdown.dataset.paused !== "true") {
    var left = parseInt(countdown.dataset.secondsLeft, 10);
    var shown = countdown.querySelector(".countdown-left");
    var end = Date.now() + left * 1000;
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      shown.textContent = " " + minutes + ":" + (rest < 10 ? "0" : "") + rest;
      if (seconds === 0) {
        window.location.reload(); // the server submits at the deadline and shows the result
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  var warn = function () {
    var status = document.getElementById("save-status");
    if (status) {
      status.textContent = status.dataset.offline;
      status.className = "save-status save-problem";
    }
  };
  document.body.addEventListener("htmx:sendError", warn);
  document.body.addEventListener("htmx:responseError", warn);
})();
