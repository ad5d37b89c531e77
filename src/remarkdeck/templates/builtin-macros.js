// Macros every deck has; a project adds its own in templates/macros.js (all decks) and
// templates/macros/<deck>.js (one deck), which run after this file and may redefine these.

// ![:scale 50%, what it shows](URL): the picture at URL, at that share of the slide's width (the
// Remark wiki's macro), described by the text after the first comma (commas allowed in it).
remark.macros.scale = function (percentage) {
  var url = this;
  var alt = Array.prototype.slice.call(arguments, 1).join(", ");  // Remark splits at commas
  var escaped = alt.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return '<img src="' + url + '"' + (arguments.length > 1 ? ' alt="' + escaped + '"' : "") +
    ' style="width: ' + percentage + '" />';
};
