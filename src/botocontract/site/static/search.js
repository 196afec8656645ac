// Client-side search over search.json: every word of the query must occur in a document's title,
// name or text (case-insensitive). Results link to the pages; the site works without this script.
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("q");
  if (!results || !input) { return; }
  var docs = null;
  var MAX = 200;

  function show(query) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { status.textContent = "Type a service, operation or word from the release notes."; return; }
    var hits = docs.filter(function (d) {
      var hay = (d.title + " " + d.name + " " + d.text).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) !== -1; });
    });
    hits.sort(function (a, b) {
      var exactA = a.name.toLowerCase() === words.join(" ") ? 0 : 1;
      var exactB = b.name.toLowerCase() === words.join(" ") ? 0 : 1;
      return exactA - exactB;
    });
    status.textContent = hits.length + " result" + (hits.length === 1 ? "" : "s") + " for \u201c" + query + "\u201d";
    hits.slice(0, MAX).forEach(function (d) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = d.kind;
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = d.title;
      li.appendChild(kind);
      li.appendChild(a);
      if (d.text) { li.appendChild(document.createTextNode(" \u2014 " + d.text)); }
      results.appendChild(li);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  status.textContent = "Loading the search index\u2026";
  fetch("search.json").then(function (r) { return r.json(); }).then(function (data) {
    docs = data;
    show(input.value);
    input.addEventListener("input", function () {
      show(input.value);
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    });
  }).catch(function (err) { status.textContent = "The search index could not be loaded: " + err; });
})();
