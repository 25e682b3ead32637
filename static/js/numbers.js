/* Numbers as the page's language writes them (the same rule as layak/common/numbers.py, which is the reference):
 * Layak.readNumber("1.234,5") -> 1234.5 on an Indonesian page; NaN when the text is not a number.
 * Layak.formatNumber(1234.5, 1) -> "1.234,5" (Indonesian) or "1,234.5" (English).
 * Layak.formatSize(1048576) -> "1,0 MB". */
(function () {
  "use strict";
  var Layak = (window.Layak = window.Layak || {});
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var locale = lang === "en" ? "en-US" : "id-ID";
  var decimalMark = lang === "en" ? "." : ",";

  function grouped(parts) {
    if (parts[0].length < 1 || parts[0].length > 3) return false;
    for (var i = 1; i < parts.length; i++) if (!/^\d{3}$/.test(parts[i])) return false;
    return parts.every(function (p) { return /^\d+$/.test(p); });
  }
  function wholeDigits(body) {
    var marks = [" ", ".", ","];
    for (var i = 0; i < marks.length; i++) {
      if (body.indexOf(marks[i]) >= 0) {
        var parts = body.split(marks[i]);
        return grouped(parts) ? parts.join("") : null;
      }
    }
    return /^\d+$/.test(body) ? body : null;
  }

  Layak.readNumber = function (text) {
    var body = String(text).replace(/[\s\u00a0\u202f\u2009]+/g, " ").trim();
    var sign = "";
    if (/^[-\u2212+]/.test(body)) { sign = body[0] === "+" ? "" : "-"; body = body.slice(1).trim(); }
    if (!body) return NaN;
    var dots = body.split(".").length - 1, commas = body.split(",").length - 1, mark = null;
    if (dots && commas) {
      mark = body.lastIndexOf(".") > body.lastIndexOf(",") ? "." : ",";
      if (body.split(mark).length > 2) return NaN;
    } else if (dots + commas === 1) {
      var one = dots ? "." : ",", halves = body.split(one);
      var could = /^[1-9]\d{0,2}$/.test(halves[0]) && /^\d{3}$/.test(halves[1]);
      mark = could ? (one === decimalMark ? one : null) : one;
    }
    var whole = body, fraction = "";
    if (mark) { var at = body.lastIndexOf(mark); whole = body.slice(0, at); fraction = body.slice(at + 1); if (!/^\d+$/.test(fraction)) return NaN; }
    var digits = whole ? wholeDigits(whole) : "0";
    if (digits === null) return NaN;
    return parseFloat(sign + digits + (fraction ? "." + fraction : ""));
  };

  Layak.formatNumber = function (value, places) {
    var options = places === undefined ? { maximumFractionDigits: 6 } : { minimumFractionDigits: places, maximumFractionDigits: places };
    return new Intl.NumberFormat(locale, options).format(value).replace("-", "\u2212");
  };

  Layak.formatSize = function (bytes) {
    var units = ["B", "KB", "MB", "GB"], unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) { bytes /= 1024; unit++; }
    return Layak.formatNumber(bytes, unit ? 1 : 0) + "\u00a0" + units[unit];
  };
})();
