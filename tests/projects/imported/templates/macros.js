// ![:framed 4px, what it shows](../img/picture.svg): the picture in a frame of that width.
remark.macros.framed = function (width, alt) {
  return '<img class="framed" src="' + this + '"' + (alt ? ' alt="' + alt + '"' : "") + ' style="border: ' +
    width + ' solid #4a7bd0; width: 15%">';
};
