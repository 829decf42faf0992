// Copy buttons on code blocks. The page is complete without them.
(function () {
  if (!navigator.clipboard) return;

  // What a reader would type, derived from the text shown and nothing else
  // (so what is copied is always what is on the page): in a session block
  // (marked session-console, -psql or -pycon by the renderer) the commands
  // without prompts, output or comments; otherwise the code as shown. The
  // rules are those of plugins/codecheck/sessions.py, which checks them.
  var PROMPT = /^(?:\([^)\s]+\)\s*)?(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$#%]|(?:[\w.-]*\w)?[$#]|%)(?: |$)/;
  var USER_PROMPT = /^(?:\([^)\s]+\)\s*)?(?:(?:\[[^\]\n]+\]|[\w.-]+@[\w.-]+(?::\S*)?)\s?[$%]|(?:[\w.-]*\w)?\$|%)(?: |$)/;
  var BARE_ROOT = /^#(?: |$)/;
  var BECOME_ROOT = /^\s*(?:sudo\s+(?:-[is]\b|su\b|bash\b|-u\s+root\s+-[is]\b)|su\b(?:\s+-|\s+root)?\s*$)/;
  var LEAVE_ROOT = /^\s*(?:exit|logout)\s*$/;
  var PS2 = /^> ?/;
  var HEREDOC = /(?<!<)<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/;
  var PYCON = /^(>>>|\.\.\.)(?: |$)/;
  var PSQL = /^[\w.-]*(?:=\*|=!|[=\-'"(*$])[#>](?: |$)/;

  function isComment(lines, index, root) {
    if (root) return false;
    for (var i = index + 1; i < lines.length; i++) {
      if (lines[i].trim()) return PROMPT.test(lines[i]);
    }
    return true;
  }

  function shellTyped(lines) {
    var typed = [], commands = 0, root = false, continued = false;
    var heredoc = null, inCommand = false;
    var userPrompts = lines.some(function (l) { return USER_PROMPT.test(l); });
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i], text, m;
      if (heredoc) {
        if (heredoc.typed === null) heredoc.typed = PS2.test(line);
        m = heredoc.typed ? PS2.exec(line) : null;
        text = m ? line.slice(m[0].length) : line;
        typed.push(text);
        if ((heredoc.dash ? text.replace(/^\t+/, "") : text) === heredoc.word) heredoc = null;
        continue;
      }
      if (continued) {
        text = line;
      } else if ((m = PROMPT.exec(line))) {
        if (userPrompts && BARE_ROOT.test(line) && isComment(lines, i, root)) {
          inCommand = continued = false;
          continue;
        }
        commands++;
        text = line.slice(m[0].length);
        inCommand = true;
        if (BECOME_ROOT.test(text)) root = true;
        else if (root && LEAVE_ROOT.test(text)) root = false;
      } else if (inCommand && (m = PS2.exec(line))) {
        text = line.slice(m[0].length);
      } else {
        inCommand = false;
        continue;
      }
      typed.push(text);
      continued = /\\$/.test(text);
      m = HEREDOC.exec(text);
      if (m) heredoc = { word: m[3], dash: m[1] === "-", typed: null };
    }
    return commands ? typed.join("\n") : null;
  }

  function pyconTyped(lines) {
    var typed = [], commands = 0, m;
    lines.forEach(function (line) {
      if ((m = PYCON.exec(line))) {
        if (m[1] === ">>>") commands++;
        typed.push(line.slice(m[0].length));
      }
    });
    return commands ? typed.join("\n") : null;
  }

  function psqlTyped(lines) {
    var typed = [], commands = 0, open = false, m;
    lines.forEach(function (line) {
      var text;
      if ((m = PSQL.exec(line))) {
        commands++;
        text = line.slice(m[0].length);
      } else if (open && line.trim()) {
        text = line;
      } else {
        open = false;
        return;
      }
      typed.push(text);
      if (/^\s*\\/.test(text)) return; // a psql command such as \x
      var code = text.split("--")[0].trim();
      if (code) open = !/;$/.test(code);
    });
    return commands ? typed.join("\n") : null;
  }

  var SESSIONS = { "session-console": shellTyped, "session-pycon": pyconTyped,
                   "session-psql": psqlTyped };

  function typed(block, code) {
    var clone = code.cloneNode(true);
    clone.querySelectorAll(".linenos, .lineno, .linenodiv").forEach(function (n) { n.remove(); });
    var text = clone.textContent.replace(/\n$/, "");
    for (var name in SESSIONS) {
      if (block.classList.contains(name)) {
        var commands = SESSIONS[name](text.split("\n"));
        if (commands !== null) return commands;
      }
    }
    return text;
  }

  // Only a block as the highlighter writes it gets a button: text and spans
  // of Pygments token classes ("k", "s2", "l-Scalar-Plain"). Raw HTML in an
  // article can look like one and hide text (a closed <details>, a
  // visually-hidden span) that a reader never sees but would paste.
  var TOKEN_CLASS = /^(?:[a-z]{1,3}[0-9]?(?:-[A-Z][A-Za-z0-9]*)*|linenos)$/;
  function highlighterMade(code) {
    return Array.prototype.every.call(code.querySelectorAll("*"), function (node) {
      return node.tagName === "SPAN" &&
        Array.prototype.every.call(node.classList, function (c) { return TOKEN_CLASS.test(c); });
    });
  }

  document.querySelectorAll(".content .highlight").forEach(function (block) {
    var pre = block.querySelector("pre");
    if (!pre) return;
    var code = pre.querySelector("code") || pre;
    if (!highlighterMade(code)) return;
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
