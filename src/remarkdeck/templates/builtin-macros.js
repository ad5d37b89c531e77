// Macros every deck has; a project adds its own in templates/macros.js (all decks) and
// templates/macros/<deck>.js (one deck), which run after this file and may redefine these.

// ![:scale 50%](URL): the picture at URL, at that share of the slide's width (the Remark wiki's macro).
remark.macros.scale = function (percentage) {
  var url = this;
  return '<img src="' + url + '" style="width: ' + percentage + '" />';
};
