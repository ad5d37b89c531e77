// ![:framed 2px, what it shows](../img/x.svg): the picture in a frame, described when an alt text is given.
remark.macros.framed = function (width, alt) {
  return '<img src="' + this + '"' + (alt ? ' alt="' + alt + '"' : "") + ' style="border: ' + width + ' solid">';
};
