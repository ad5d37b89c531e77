// ![:framed 4px](../img/picture.svg): the picture in a frame of that width.
remark.macros.framed = function (width) {
  return '<img class="framed" src="' + this + '" style="border: ' + width + ' solid #4a7bd0; width: 15%">';
};
