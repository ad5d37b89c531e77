// The page's macros, and a helper they share.
function boxed(classes, content) {
  return '<span class="' + classes + '">' + content + "</span>";
}

remark.macros.note = function (kind) {
  window.addEventListener("load", function () { document.title += " (with notes)"; });
  return boxed("note " + (kind || "plain"), remark.convert(this));
};
