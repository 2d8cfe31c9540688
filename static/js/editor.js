/* Entraide: a small formatting toolbar over every Markdown textarea (textarea[data-markdown]).
 *
 * The script creates the toolbar, so without JavaScript nothing half-working shows: the
 * textarea alone, with its help text. Each button has an accessible name (translated by the
 * server into data-label-* attributes on the textarea), is reached with Tab and applied with
 * Enter or Space; Ctrl+B and Ctrl+I (Cmd on a Mac) work inside the textarea. The selection is
 * wrapped in Markdown, or the Markdown is inserted around the cursor.
 */
(function () {
  "use strict";

  var ACTIONS = [
    { name: "bold", label: "Bold", icon: "B", before: "**", after: "**", key: "b" },
    { name: "italic", label: "Italic", icon: "I", before: "*", after: "*", key: "i" },
    { name: "list", label: "List", icon: "•", line: "- " },
    { name: "link", label: "Link", icon: "↗", before: "[", after: "](https://)" },
    { name: "quote", label: "Quote", icon: "❝", line: "> " },
  ];

  function fire(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function wrap(textarea, action) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var chosen = value.slice(start, end);
    var text;
    var from;
    var to;
    if (action.line) {
      // Every line of the selection (or the cursor's line) starts with the marker.
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      var block = value.slice(lineStart, end);
      text = block.split("\n").map(function (line) { return action.line + line; }).join("\n");
      textarea.setRangeText(text, lineStart, end, "end");
      from = lineStart + action.line.length;
      to = lineStart + text.length;
    } else {
      text = action.before + chosen + action.after;
      textarea.setRangeText(text, start, end, "end");
      from = start + action.before.length;
      to = from + chosen.length;
      if (action.name === "link" && chosen) {
        // The address placeholder is selected, ready to be typed over.
        from = to + 2;
        to = from + "https://".length;
      }
    }
    textarea.focus();
    textarea.setSelectionRange(from, to);
    fire(textarea);
  }

  function toolbarFor(textarea) {
    var bar = document.createElement("div");
    bar.className = "editor-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", textarea.getAttribute("data-label-toolbar") || "Formatting");
    if (textarea.id) {
      bar.setAttribute("aria-controls", textarea.id);
    }
    ACTIONS.forEach(function (action) {
      var button = document.createElement("button");
      var label = textarea.getAttribute("data-label-" + action.name) || action.label;
      var icon = document.createElement("span");
      button.type = "button";
      button.className = "editor-button editor-" + action.name;
      icon.setAttribute("aria-hidden", "true");
      icon.className = "editor-icon";
      icon.textContent = action.icon;
      button.appendChild(icon);
      button.appendChild(document.createTextNode(" " + label));
      if (action.key) {
        button.setAttribute("aria-keyshortcuts", "Control+" + action.key.toUpperCase());
      }
      // A button of type "button" is applied by Enter and Space and submits nothing.
      button.addEventListener("click", function () { wrap(textarea, action); });
      bar.appendChild(button);
    });
    return bar;
  }

  function enhance(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var areas = scope.querySelectorAll("textarea[data-markdown]");
    Array.prototype.forEach.call(areas, function (textarea) {
      if (textarea.hasAttribute("data-editor-ready")) {
        return;
      }
      textarea.setAttribute("data-editor-ready", "");
      textarea.parentNode.insertBefore(toolbarFor(textarea), textarea);
      textarea.addEventListener("keydown", function (event) {
        if (!(event.ctrlKey || event.metaKey) || event.altKey) {
          return;
        }
        var key = event.key.toLowerCase();
        ACTIONS.forEach(function (action) {
          if (action.key === key) {
            event.preventDefault();
            wrap(textarea, action);
          }
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  // A form swapped in by htmx (the reply form, emptied after a reply) gets its toolbar too.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
