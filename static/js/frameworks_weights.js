// The running sum of the maximum points on the weights page (moved out of the page for the CSP).
(function () {
  var form = document.querySelector(".weights-form");
  var out = document.getElementById("weights-sum");
  function update() {
    var cents = 0;
    form.querySelectorAll(".weight-input").forEach(function (input) {
      var v = Layak.readNumber(input.value);
      if (!isNaN(v)) { cents += Math.round(v * 100); }
    });
    out.textContent = Layak.formatNumber(cents / 100, 2);
    out.classList.toggle("sum-ok", cents === 100000);
    out.classList.toggle("sum-wrong", cents !== 100000);
  }
  form.addEventListener("input", update);
  update();
})();
