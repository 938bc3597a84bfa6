/* Search-box autocomplete: an ARIA 1.2 combobox with a listbox popup.
 * Progressive enhancement only — without this file the forms work as plain GET forms.
 * Suggestions come from /api/suggest and are written with textContent, never as HTML. */
(function () {
  "use strict";
  var DELAY = 120;

  function enhance(input, number) {
    var form = input.form;
    var listId = "suggestions-" + number;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    var holder = input.parentNode;
    holder.classList.add("combobox");
    holder.appendChild(list);
    holder.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].el.id);
        items[index].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      input.value = item.data.text;
      close();
      if (item.data.url && item.data.url.charAt(0) === "/") {
        window.location.assign(item.data.url);
      } else if (form) {
        form.submit();
      }
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (data, i) {
        var el = document.createElement("li");
        el.id = listId + "-" + i;
        el.setAttribute("role", "option");
        el.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.textContent = data.text;
        el.appendChild(text);
        if (data.detail) {
          var detail = document.createElement("span");
          detail.className = "suggestion-detail";
          detail.textContent = " — " + data.detail;
          el.appendChild(detail);
        }
        el.addEventListener("mousedown", function (event) { event.preventDefault(); });
        el.addEventListener("click", function () { choose(i); });
        list.appendChild(el);
        return { el: el, data: data };
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + (items.length === 1 ? " suggestion" : " suggestions") +
          ", use the up and down arrows to choose";
      } else {
        close();
        status.textContent = "";
      }
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      asked = q;
      fetch("/api/suggest?limit=8&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (asked === q && input.value.trim() === q) { show(data.suggestions || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { ask(); return; }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); } else { input.value = ""; }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function start() {
    var inputs = document.querySelectorAll("input[type=search][name=q]");
    Array.prototype.forEach.call(inputs, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
