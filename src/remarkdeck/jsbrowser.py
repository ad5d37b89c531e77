"""A stand-in browser for a page's scripts run in V8 (mini-racer): no DOM, an empty URL.

Every property of ``window``, ``document`` and the other browser objects exists, can be called and
does nothing, so that a script that reads the URL, registers a load handler or touches the DOM runs
to its end; what a script assigns to ``window`` becomes a global, as in a browser.
``remarkdeckLoaded(done)`` runs the load handlers the scripts registered (``onload``,
``addEventListener("load", ...)``, ``$(function ...)``) until ``done()`` is true. Used to read a
page's ``remark.create`` options when a deck is imported, and to run a deck's macros when it is built.
"""

STAND_IN_BROWSER = r"""
var anything = (function () {
  var stub = new Proxy(function () {}, {
    get: function (target, key) {
      if (key === Symbol.toPrimitive) { return function () { return ""; }; }
      if (key === "then" || key === "length") { return undefined; }
      return stub;
    },
    set: function () { return true; },
    apply: function () { return stub; },
    construct: function () { return stub; },
  });
  return stub;
})();
var location = {href: "", search: "", hash: "", pathname: "", protocol: "file:", host: "", hostname: "",
                origin: "null", toString: function () { return ""; }};
var window = new Proxy(globalThis, {
  get: function (target, key) { return key in target ? target[key] : anything; },
  set: function (target, key, value) { target[key] = value; return true; },
});
var remarkdeckLoadListeners = [];
var addEventListener = function (type, listener) {
  if (/load|DOMContentLoaded/.test(type) && typeof listener === "function") { remarkdeckLoadListeners.push(listener); }
};
var document = new Proxy({addEventListener: addEventListener, readyState: "loading"}, {
  get: function (target, key) { return key in target ? target[key] : anything; },
  set: function () { return true; },
});
var $ = function (ready) { addEventListener("load", ready); return anything; }, jQuery = $;
var self = window, navigator = anything, history = anything, localStorage = anything, console = anything,
    XMLHttpRequest = anything, fetch = anything, MathJax = anything, katex = anything,
    renderMathInElement = anything, hljs = anything;
var setTimeout = function () { return 0; }, setInterval = setTimeout, clearTimeout = setTimeout,
    requestAnimationFrame = setTimeout, alert = setTimeout, confirm = setTimeout, prompt = function () { return null; };
var URLSearchParams = function () { this.get = function () { return null; }; this.has = function () { return false; }; };
var remarkdeckLoaded = function (done) {
  if (typeof onload === "function") { remarkdeckLoadListeners.push(onload); }
  remarkdeckLoadListeners.forEach(function (listener) { if (!done()) { listener(); } });
};
"""
