// The nominations import's progress page: asks for the progress every second and moves the bar; when the
// import has finished, reloads the page to show the outcome. Without JavaScript the page's Refresh link
// does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var done = document.getElementById("import-progress-done");
  var total = document.getElementById("import-progress-total");
  var status = document.getElementById("import-status");

  function show(data) {
    bar.max = data.total;
    bar.value = data.done;
    done.textContent = data.done;
    total.textContent = data.total;
    status.textContent = data.status_display;
  }

  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        if (data.finished) {
          window.location.reload();
          return;
        }
        show(data);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
