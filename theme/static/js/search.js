// Search with Pagefind's index (built by `invoke build` into /pagefind/).
(function () {
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var base = new URL(form.dataset.base, location.href);
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(async function (pf) {
        pf.options({ baseUrl: base.pathname });
        // A large archive is indexed in several bundles (pipeline/search.py).
        var extra = [];
        try {
          var listed = await fetch(new URL("pagefind/bundles.json", base).href);
          if (listed.ok) extra = await listed.json();
        } catch (e) { extra = []; }
        for (var i = 0; i < extra.length; i++) {
          await pf.mergeIndex(new URL(extra[i], base).pathname, { baseUrl: base.pathname });
        }
        return pf;
      });
    }
    return pagefind;
  }

  function item(data) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [data.meta.day, data.meta.author].filter(Boolean).join(" · by ");
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the text; only <mark> is added
    li.append(a, meta, excerpt);
    return li;
  }

  var latest = 0;
  async function run(query) {
    var ticket = ++latest;
    query = query.trim();
    list.replaceChildren();
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    try {
      var pf = await load();
      var found = await pf.search(query);
      var data = await Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
      if (ticket !== latest) return;
      list.replaceChildren.apply(list, data.map(item));
      var n = found.results.length;
      status.textContent = n === 0 ? "No article matches “" + query + "”."
        : n + (n === 1 ? " article matches" : " articles match") + " “" + query + "”.";
    } catch (e) {
      status.textContent = "Search is not available here: the index is built by `invoke build`.";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  var timer;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
