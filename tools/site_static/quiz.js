// In-page quizzes of the course website (tools/quizzes.py writes their data; no network).
// Each <div class="course-quiz" data-quiz="{...}"> gets options or a number box, a Check
// button and a Hint button. The verdicts are the notebook's: a choice's messages are the
// exercise's own, copied into the data; a number is compared as NumPy's isclose with the
// exercise's rtol/atol, a declared mistake gets its message, and any other number gets the
// sentence course_utils/exercises/answers.py builds (ported below, same wording). One known
// difference: a number exactly halfway in its 6th significant digit is printed rounded away
// from zero here and to even by Python (1234565 -> 1.23457e+06 here, 1.23456e+06 there).
(function () {
  "use strict";
  var CLOSE = 0.05; // answers.CLOSE_FRACTION

  function isclose(v, e, rtol, atol) { return Math.abs(v - e) <= atol + rtol * Math.abs(e); }

  function pyG(v, prec) { // Python's format(v, "g") with `prec` significant digits
    prec = prec || 6;
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    var parts = v.toExponential(prec - 1).split("e"), exp = parseInt(parts[1], 10);
    var strip = function (s) { return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, ""); };
    if (exp < -4 || exp >= prec) {
      var e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
      return strip(parts[0]) + "e" + (exp < 0 ? "-" : "+") + e;
    }
    return strip(v.toFixed(Math.max(0, prec - 1 - exp)));
  }

  function percentMixup(v, e) {
    if (e === 0) return null;
    if (Math.abs(e) <= 1 && isclose(v, 100 * e, 0.02, 0))
      return "Is that a percentage? The answer is a fraction between 0 and 1 (write 0.25 for 25 %).";
    if (Math.abs(e) > 1 && Math.abs(e) <= 100 && isclose(100 * v, e, 0.02, 0))
      return "Is that a fraction? The answer is a percentage (write 25 for 25 %).";
    return null;
  }

  function numberMessage(q, v) { // answers._compare_number, then words.sentence
    var e = q.answer, name = "your answer", text;
    var mixup = percentMixup(v, e), dir = v > e ? "too large" : "too small";
    var close = e === 0 ? Math.abs(v) <= 10 * q.atol : Math.abs(v - e) <= CLOSE * Math.abs(e);
    if (mixup) text = name + " is " + pyG(v) + ". " + mixup;
    else if (close)
      text = name + " is " + pyG(v) + ": close (within 5%), but " + dir + ", outside the tolerance (rtol=" +
        pyG(q.rtol) + ", atol=" + pyG(q.atol) + "). Check for rounding or a small slip.";
    else if (e !== 0 && v !== 0 && Math.sign(v) !== Math.sign(e)) text = name + " is " + pyG(v) + ": it has the wrong sign.";
    else text = name + " is " + pyG(v) + ": " + dir + ", and not close (more than 5% off).";
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function verdict(q, raw) { // [passed, message]
    if (q.kind === "choice") {
      var label = String(raw || "");
      if (!label) return [false, "Choose one option."];
      return label === q.answer ? [true, q.correct] : [false, q.feedback[label]];
    }
    var text = String(raw).trim(), words = {"inf": Infinity, "+inf": Infinity, "-inf": -Infinity, "nan": NaN};
    var v = text.toLowerCase() in words ? words[text.toLowerCase()] : Number(text);
    if (text === "" || (isNaN(v) && text.toLowerCase() !== "nan")) return [false, "Enter a number."];
    if (isclose(v, q.answer, q.rtol, q.atol)) return [true, q.correct];
    for (var i = 0; i < q.mistakes.length; i++) {
      var m = Number(q.mistakes[i].value);
      if (isFinite(m) ? isclose(v, m, q.rtol, q.atol) : Object.is(v, m)) return [false, q.mistakes[i].message];
    }
    if (!isFinite(v)) { // answers._compare_number's message for inf and nan
      var shown = isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
      return [false, "Your answer is " + shown + "; expected a finite number (look for an overflow or a division by zero)."];
    }
    return [false, numberMessage(q, v)];
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function withCode(node, text) { // `code` spans of the notebook's messages as <code>, safely
    node.textContent = "";
    String(text).split("`").forEach(function (part, i) {
      node.appendChild(i % 2 ? el("code", {}, part) : document.createTextNode(part));
    });
    return node;
  }

  function build(box) {
    var q = JSON.parse(box.getAttribute("data-quiz")), form = el("form", {"class": "quiz-form"});
    var fallback = box.querySelector(".quiz-static"); // the options as text, for no JavaScript
    if (fallback) fallback.remove();
    withCode(box.querySelector(".quiz-question"), q.question);
    var read;
    if (q.kind === "choice") {
      Object.keys(q.options).forEach(function (label) {
        var line = el("label", {"class": "quiz-option"}), input = el("input", {type: "radio", name: "quiz-" + q.name, value: label});
        line.appendChild(input);
        line.appendChild(withCode(el("span"), " (" + label + ") " + q.options[label]));
        form.appendChild(line);
        form.appendChild(el("br"));
      });
      read = function () { var c = form.querySelector("input:checked"); return c ? c.value : ""; };
    } else {
      var input = el("input", {type: "text", inputmode: "decimal", "class": "quiz-number", "aria-label": "your answer"});
      form.appendChild(input);
      read = function () { return input.value; };
    }
    var check = el("button", {type: "submit", "class": "quiz-check"}, "Check");
    var hint = el("button", {type: "button", "class": "quiz-hint"}, "Hint");
    var said = el("p", {"class": "quiz-feedback", role: "status"}), hints = el("ol", {"class": "quiz-hints"});
    form.appendChild(el("br"));
    form.appendChild(check);
    form.appendChild(document.createTextNode(" "));
    form.appendChild(hint);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result = verdict(q, read());
      withCode(said, result[1]);
      said.className = "quiz-feedback " + (result[0] ? "quiz-correct" : "quiz-incorrect");
      said.style.color = result[0] ? "#006d2c" : "#a50f15";
    });
    var shown = 0;
    hint.addEventListener("click", function () {
      if (shown < q.hints.length) hints.appendChild(withCode(el("li"), q.hints[shown++]));
      else if (!hints.querySelector(".quiz-last")) hints.appendChild(el("li", {"class": "quiz-last"}, "No more hints: the notebook's solution() shows a worked answer."));
    });
    box.appendChild(form);
    box.appendChild(said);
    box.appendChild(hints);
    box.style.border = "1px solid #bbb";
    box.style.padding = "0.5em 1em";
    box.style.margin = "1em 0";
  }

  function start() { Array.prototype.forEach.call(document.querySelectorAll(".course-quiz"), build); }
  if (typeof module !== "undefined" && module.exports) module.exports = {verdict: verdict, pyG: pyG}; // tests
  if (typeof document === "undefined") return;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
