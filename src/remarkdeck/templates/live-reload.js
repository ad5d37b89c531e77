// Added by `remarkdeck serve` to the pages it serves, never written into build/.
// When a newer build is ready: if only the slides' Markdown and formulas changed (the page's shell is
// the same), the new slides are swapped into the page on the slide it shows; otherwise the page reloads, and
// Remark finds its slide (and presenter mode) in the URL hash. A failed build's
// `path:line: message` shows over the last good deck until the source is fixed.
(function () {
  "use strict";
  var script = document.currentScript;
  var shell = script.getAttribute("data-shell");
  var shownBuild = script.getAttribute("data-build");
  var latestBuild = shownBuild;
  var updating = false;
  var overlay = null;

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "remarkdeck-build-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position: fixed; inset: 0; z-index: 2147483647; display: flex;" +
        "align-items: flex-start; justify-content: center; padding-top: 8vh;" +
        "background: rgba(20, 24, 31, 0.72); font: 16px/1.45 'DejaVu Sans', sans-serif;";
      var box = document.createElement("div");
      box.style.cssText = "max-width: min(90vw, 64em); max-height: 80vh; overflow: auto; padding: 1.2em 1.5em;" +
        "background: #fff; color: #23303d; border-top: 6px solid #c0392b; border-radius: 4px;" +
        "box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4);";
      var title = document.createElement("div");
      title.textContent = "The build failed";
      title.style.cssText = "font-size: 1.3em; font-weight: bold; color: #c0392b; margin-bottom: 0.6em;";
      var text = document.createElement("pre");
      text.style.cssText = "margin: 0; white-space: pre-wrap; word-break: break-word;" +
        "font: 15px/1.45 'Ubuntu Mono', 'DejaVu Sans Mono', monospace;";
      var hint = document.createElement("div");
      hint.textContent = "Behind this is the last deck that built. " +
        "Fix the source and save: this page updates by itself.";
      hint.style.cssText = "margin-top: 1em; color: #6b7785; font-size: 0.9em;";
      box.append(title, text, hint);
      overlay.append(box);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }

  function hideError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // The slides' Markdown in a page as served: the first member of remark.create()'s options.
  function slidesSource(page) {
    var found = /"source": ("(?:[^"\\]|\\.)*")/.exec(page);
    return found ? JSON.parse(found[1]) : null;
  }

  // The slides' typeset formulas in a page as served (their JSON holds no "<").
  function slidesFormulas(page) {
    var found = /<script type="application\/json" id="remarkdeck-formulas">([^<]*)<\/script>/.exec(page);
    return found ? JSON.parse(found[1]) : null;
  }

  function canSwap(page) {
    return typeof slideshow !== "undefined" && typeof window.remarkdeckTypeset === "function" &&
      page.shell === shell && page.source !== null && page.formulas !== null;
  }

  function swapSlides(source, formulas) {
    var shown = slideshow.getCurrentSlideIndex() + 1;
    slideshow.loadFromString(source);
    window.remarkdeckTypeset(formulas);
    if (typeof window.remarkdeckShowCode === "function") {
      window.remarkdeckShowCode();
    }
    if (typeof window.remarkdeckAccessible === "function") {
      window.remarkdeckAccessible();
    }
    // Presenter mode copies the notes and the next slide when a slide is shown: show another one
    // and come back, so that its copies are of the new, typeset slides.
    var count = slideshow.getSlideCount();
    if (count > 1) {
      slideshow.gotoSlide(shown > 1 ? shown - 1 : 2, true);
    }
    slideshow.gotoSlide(Math.min(shown, count), true);
  }

  function update() {
    updating = true;
    fetch(location.pathname + location.search, {cache: "no-store"}).then(function (response) {
      return response.text();
    }).then(function (text) {
      var served = /data-build="([^"]*)" data-shell="([^"]*)"/.exec(text) || [];
      var page = {build: served[1], shell: served[2], source: slidesSource(text), formulas: slidesFormulas(text)};
      if (!canSwap(page)) {
        location.reload();
        return;
      }
      swapSlides(page.source, page.formulas);
      shownBuild = page.build;
      updating = false;
      if (latestBuild !== shownBuild) {
        update();
      }
    }).catch(function () {
      location.reload();
    });
  }

  // EventSource reconnects by itself (after `retry` ms) when the server restarts.
  var builds = new EventSource("/_remarkdeck/events");
  builds.addEventListener("build", function (event) {
    var build = JSON.parse(event.data);
    if (build.error) {
      showError(build.error);
      return;
    }
    hideError();
    latestBuild = build.version;
    if (build.version !== shownBuild && !updating) {
      update();
    }
  });
})();
