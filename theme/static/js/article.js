// Copy buttons on code blocks. The page is complete without them.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".content .highlight").forEach(function (block) {
    var pre = block.querySelector("pre");
    if (!pre) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code to clipboard");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.innerText.replace(/\n$/, "")).then(
        function () { button.textContent = status.textContent = "Copied"; },
        function () { button.textContent = status.textContent = "Copy failed"; }
      );
      setTimeout(function () { button.textContent = "Copy"; status.textContent = ""; }, 2000);
    });
    block.classList.add("has-copy");
    block.append(button, status);
  });
})();
