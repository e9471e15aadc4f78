// The candidate's test page and its review step. The server decides everything here: the
// time (this only counts down from what it sent and reloads at zero, when the server has
// submitted), what is saved (the status and the navigator's cells change only when the server
// acknowledges a save) and the warnings (the same thresholds it renders, in data-warn-at).
// Without this script every page still works: the clock and warnings as of the last page
// load, the Save buttons, the navigator's links and the review step.
(function () {
  "use strict";

  // --- the countdown -------------------------------------------------------------------
  var countdown = document.getElementById("countdown");
  if (countdown && countdown.dataset.paused !== "true") {
    var shown = countdown.querySelector(".countdown-left");
    var alert = countdown.querySelector(".countdown-alert");
    var thresholds = (countdown.dataset.warnAt || "")
      .split(",")
      .filter(Boolean)
      .map(function (s) { return parseInt(s, 10); })
      .sort(function (a, b) { return a - b; }); // smallest first: 120, 600
    var end = Date.now() + parseInt(countdown.dataset.secondsLeft, 10) * 1000;
    var warned = null;
    var warningFor = function (seconds) {
      for (var i = 0; i < thresholds.length; i++) {
        if (seconds <= thresholds[i]) {
          return thresholds[i] / 60;
        }
      }
      return null;
    };
    // the warning the server rendered is not announced again
    warned = warningFor(parseInt(countdown.dataset.secondsLeft, 10));
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var warning = warningFor(seconds);
      if (warning === null) {
        // calm while there is time: whole minutes, as the server shows them
        shown.textContent = countdown.dataset.minutes.replace("{left}", Math.ceil(seconds / 60));
      } else {
        var rest = seconds % 60;
        shown.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
      }
      if (warning !== warned && warning !== null) {
        warned = warning;
        countdown.classList.remove("countdown-warning-10", "countdown-warning-2");
        countdown.classList.add("countdown-warning", "countdown-warning-" + warning);
        alert.textContent = countdown.getAttribute("data-warning-" + warning);
      }
      if (seconds === 0) {
        window.location.reload(); // the server submits at the deadline and shows the result
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  // --- the save status and the navigator -----------------------------------------------
  var form = document.getElementById("item-form");
  var status = document.getElementById("save-status");
  var grid = document.getElementById("item-nav");
  var summary = document.getElementById("navigator-summary");
  var pending = false; // an answer given and not yet acknowledged by the server

  var say = function (text, className) {
    if (status) {
      status.textContent = "";
      var span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      status.appendChild(span);
    }
  };
  var warn = function () {
    if (status) {
      say(status.dataset.offline, "save-problem");
    }
  };
  var recount = function () {
    if (!grid || !summary) {
      return;
    }
    summary.textContent = summary.dataset.template
      .replace("{answered}", grid.querySelectorAll(".is-answered").length)
      .replace("{total}", grid.querySelectorAll(".nav-link").length)
      .replace("{flagged}", grid.querySelectorAll(".is-flagged").length);
  };

  if (form) {
    form.addEventListener("input", function () {
      pending = true;
    });
    form.addEventListener("htmx:beforeRequest", function () {
      say(status.dataset.saving, "save-pending");
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) {
        pending = false;
      }
    });
  }
  document.body.addEventListener("htmx:sendError", warn);
  document.body.addEventListener("htmx:responseError", warn);
  document.body.addEventListener("htmx:oobAfterSwap", function () {
    recount();
    rove(); // the swapped cell comes without its tabindex
  });

  // A navigator link followed while an answer waits for its autosave: save it first, then go.
  if (grid && form) {
    grid.addEventListener("click", function (event) {
      var link = event.target.closest("a.nav-link");
      if (!link || !pending || !window.htmx) {
        return;
      }
      event.preventDefault();
      window.htmx
        .ajax("POST", form.getAttribute("hx-post"), {
          source: form,
          target: "#save-status",
          swap: "innerHTML",
        })
        .then(function () {
          if (!pending) {
            window.location.href = link.href;
          }
        });
    });
  }

  // --- keyboard: the grid is one stop for Tab; the arrow keys move within it -----------
  var links = function () {
    return grid ? Array.prototype.slice.call(grid.querySelectorAll("a.nav-link")) : [];
  };
  var rove = function (focused) {
    if (!grid) {
      return;
    }
    var all = links();
    var active = focused || grid.querySelector("a[aria-current]") || all[0];
    all.forEach(function (link) {
      link.tabIndex = link === active ? 0 : -1;
    });
  };
  if (grid) {
    rove();
    grid.addEventListener("keydown", function (event) {
      var all = links();
      var index = all.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      // the number of columns, from the layout: the links on the first one's row
      var columns = all.filter(function (link) {
        return link.offsetTop === all[0].offsetTop;
      }).length;
      var target = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        ArrowDown: index + columns,
        ArrowUp: index - columns,
        Home: 0,
        End: all.length - 1,
      }[event.key];
      if (target === undefined) {
        return;
      }
      event.preventDefault();
      target = Math.min(Math.max(target, 0), all.length - 1);
      rove(all[target]);
      all[target].focus();
    });
  }
})();
