// Copy buttons on code blocks. The page is complete without them.
(function () {
  if (!navigator.clipboard) return;
  // What a reader would type: for a session (console, psql, pycon) the
  // renderer put the commands, without prompts or output, in data-copy;
  // otherwise the code itself, never line numbers.
  function typed(block, code) {
    if (block.hasAttribute("data-copy")) return block.getAttribute("data-copy");
    var clone = code.cloneNode(true);
    clone.querySelectorAll(".linenos, .lineno, .linenodiv").forEach(function (n) { n.remove(); });
    return clone.textContent.replace(/\n$/, "");
  }
  document.querySelectorAll(".content .highlight").forEach(function (block) {
    var pre = block.querySelector("pre");
    if (!pre) return;
    var code = pre.querySelector("code") || pre;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(typed(block, code)).then(
        function () { button.textContent = status.textContent = "Copied"; },
        function () { button.textContent = status.textContent = "Copy failed"; }
      );
      setTimeout(function () { button.textContent = "Copy"; status.textContent = ""; }, 2000);
    });
    // A bar above the code, so the button never covers a line of it.
    var bar = document.createElement("div");
    bar.className = "code-bar";
    bar.append(button, status);
    block.classList.add("has-copy");
    block.insertBefore(bar, pre);
  });
})();
