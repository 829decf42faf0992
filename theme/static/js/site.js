// Small enhancements; every page is complete without them: the countdown to
// the next door, share and copy buttons, the table of contents on phones.
(function () {
  "use strict";

  // --- countdown: the date is in the page; this adds the time left ---
  function left(ms) {
    var minutes = Math.ceil(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var parts = [];
    if (days) parts.push(days + (days === 1 ? " day" : " days"));
    if (hours) parts.push(hours + " h");
    if (!days) parts.push((minutes % 60) + " min");
    return parts.join(" ");
  }

  document.querySelectorAll("[data-countdown]").forEach(function (box) {
    var opens = Date.parse(box.dataset.countdown);
    var out = box.querySelector(".countdown-left");
    if (!out || isNaN(opens)) return;
    function tick() {
      var ms = opens - Date.now();
      out.textContent = ms > 0 ? ": in " + left(ms) : ": it is open now, reload the page";
      out.hidden = false;
      if (ms <= 0) clearInterval(timer);
    }
    var timer = setInterval(tick, 15000);
    tick();
  });

  // --- copy and share ---
  function say(status, text) {
    if (!status) return;
    status.textContent = text;
    setTimeout(function () { status.textContent = ""; }, 3000);
  }

  function copy(text, button, status) {
    if (!navigator.clipboard) return;
    var label = button.firstChild.textContent;
    navigator.clipboard.writeText(text).then(
      function () { button.firstChild.textContent = "Copied"; say(status, "Copied to the clipboard"); },
      function () { button.firstChild.textContent = "Copy failed"; say(status, "Copy failed"); }
    );
    setTimeout(function () { button.firstChild.textContent = label; }, 2000);
  }

  var shareStatus = document.querySelector(".share-status");
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      button.closest("li").hidden = false;
      button.addEventListener("click", function () {
        copy(button.dataset.copyLink, button, shareStatus);
      });
    });
  }
  if (navigator.share) {
    document.querySelectorAll("[data-share-url]").forEach(function (button) {
      button.closest("li").hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
          .catch(function () {}); // the reader closed the share sheet
      });
    });
  }

  var copyStatus = document.querySelector(".copy-status");
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.dataset.copy);
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () { copy(input.value, button, copyStatus); });
    });
  }
  document.querySelectorAll("input.feed-url").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  // --- table of contents: folded on narrow screens, follows the reading ---
  var toc = document.querySelector(".toc");
  if (toc) {
    var details = toc.querySelector("details");
    var wide = window.matchMedia("(min-width: 80rem)");
    if (details && !wide.matches) details.open = false;
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) {
      links[decodeURIComponent(a.hash.slice(1))] = a;
    });
    if ("IntersectionObserver" in window) {
      var current = null;
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          var link = links[entry.target.id];
          if (!link) return;
          if (current) current.removeAttribute("aria-current");
          link.setAttribute("aria-current", "location");
          current = link;
        });
      }, { rootMargin: "0px 0px -70% 0px" });
      Object.keys(links).forEach(function (id) {
        var heading = document.getElementById(id);
        if (heading) observer.observe(heading);
      });
    }
  }
})();
