// Classifier code pickers: an input with data-picker="<suggest url>" gets a list of matching codes
// (by code prefix or by words) as the user types; picking one fills in the code.
// With data-picker-multi the field holds several comma-separated codes and the last one is completed.
(function () {
  "use strict";
  function debounce(fn, ms) { var t; return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); }; }

  function attach(input) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "1";
    var multi = !!input.dataset.pickerMulti;
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.id = (input.id || input.name) + "-suggestions";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.parentNode.appendChild(list);
    // A combobox says whether its list is open (ARIA 1.2 requires aria-expanded) and which option is active.
    function show(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) input.removeAttribute("aria-activedescendant");
    }
    show(false);

    function term() {
      if (!multi) return input.value.trim();
      var parts = input.value.split(/[,;]/);
      return parts[parts.length - 1].trim();
    }
    function choose(code) {
      if (multi) {
        var parts = input.value.split(/[,;]/).map(function (p) { return p.trim(); }).filter(Boolean);
        parts[parts.length ? parts.length - 1 : 0] = code;
        input.value = parts.join(", ") + ", ";
      } else {
        input.value = code;
      }
      show(false);
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var load = debounce(function () {
      var q = term();
      if (q.length < 2) { show(false); return; }
      fetch(input.dataset.picker + "?q=" + encodeURIComponent(q), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { list.innerHTML = html; show(!!html.trim()); });
    }, 200);
    input.addEventListener("input", load);
    input.addEventListener("keydown", function (e) {
      var items = Array.prototype.slice.call(list.querySelectorAll("li[data-code]"));
      if (list.hidden || !items.length) return;
      var i = items.findIndex(function (li) { return li.classList.contains("active"); });
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (i >= 0) { items[i].classList.remove("active"); items[i].setAttribute("aria-selected", "false"); }
        i = e.key === "ArrowDown" ? Math.min(i + 1, items.length - 1) : Math.max(i - 1, 0);
        items[i].classList.add("active");
        items[i].setAttribute("aria-selected", "true");
        if (!items[i].id) items[i].id = list.id + "-" + i;
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter" && i >= 0) {
        e.preventDefault();
        choose(items[i].dataset.code);
      } else if (e.key === "Escape") {
        show(false);
      }
    });
    list.addEventListener("mousedown", function (e) {
      var li = e.target.closest("li[data-code]");
      if (li) { e.preventDefault(); choose(li.dataset.code); }
    });
    input.addEventListener("blur", function () { setTimeout(function () { show(false); }, 150); });
  }

  function init(root) { (root || document).querySelectorAll("input[data-picker]").forEach(attach); }
  document.addEventListener("DOMContentLoaded", function () { init(); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
