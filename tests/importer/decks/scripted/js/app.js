// The page's own script: options computed before remark.create, which runs once the page has loaded.
function parameter(name) {
  var found = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.href);
  return found ? decodeURIComponent(found[1]) : null;
}
var options = {
  sourceUrl: parameter("deck") || "talk.md",
  ratio: "16:9",
  highlightStyle: "monokai",
  highlightLines: true,
};
var renderMath = function () {
  renderMathInElement(document.body, {delimiters: [{left: "$$", right: "$$", display: true}]});
};
window.addEventListener("load", function () {
  var slideshow = remark.create(options, renderMath);
  slideshow.on("afterShowSlide", function () { document.title = "shown"; });
});
