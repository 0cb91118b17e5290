/* Enhancements of the exchange's pages; every page works the same without them.
   An input with data-lookup="<url>" and data-lookup-target="<id>" shows, as it is typed, the HTML
   fragment that <url>?<input name>=<value> answers (the same include the full page draws). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-lookup]").forEach(function (input) {
    var target = document.getElementById(input.getAttribute("data-lookup-target"));
    var timer = null;
    var pending = null;
    if (!target || !window.fetch) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (pending) pending.abort();
        pending = new AbortController();
        var query = new URLSearchParams();
        query.set(input.name, input.value.trim());
        fetch(input.getAttribute("data-lookup") + "?" + query, { signal: pending.signal, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
          .then(function (html) { target.innerHTML = html; })
          .catch(function () { /* the answer after submit says the same */ });
      }, 350);
    });
  });
})();
