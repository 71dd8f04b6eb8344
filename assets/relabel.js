// Streamlit's own words in the page's language: its menu, the sidebar
// buttons, a chart's toolbar and tooltips, the labels a screen reader
// reads out, and its message when the page loses its server. Streamlit
// writes them in English only. The router puts this script on every page
// with LABELS filled in from the language's streamlit.toml in data/strings
// (Streamlit's English word -> the page's word; empty in English). It keeps
// working as Streamlit redraws, and puts Streamlit's English back when the
// reader switches to English. It fetches nothing. (No less-than sign before
// a letter or slash anywhere in this file: Streamlit's HTML sanitizer would
// drop the whole script.)
(function () {
  window.__yiwuLabels = LABELS;
  // The language link names the other language in that language ("English"
  // on a Chinese page); marked with its language, it is read in that voice.
  window.__yiwuLangLinks = LANG_LINKS;
  if (window.__yiwuRelabel) { window.__yiwuRelabel(); return; }

  // Labels of the form "Shortcut Home" or "Help for Year": the first words
  // are translated, and a "{}" in the translation stands for the rest.
  var PREFIXES = ["Shortcut", "Help for"];
  // Visible words, translated only inside these boxes.
  var TEXT_BOXES = '[data-testid="stSkipToContent"], [data-testid="stMainMenuPopover"], ' +
                   '[data-testid="stTooltipContent"], [data-testid="stStatusWidget"], ' +
                   '[data-testid="stConnectionStatus"], [data-testid="stDialog"]';
  // Labels a screen reader reads; a title is a tooltip (the map's zoom buttons).
  var ATTRIBUTES = ["aria-label", "aria-roledescription", "title"];

  function translate(english) {
    var labels = window.__yiwuLabels;
    if (Object.prototype.hasOwnProperty.call(labels, english)) { return labels[english]; }
    for (var i = 0; i < PREFIXES.length; i++) {
      var p = PREFIXES[i];
      if (english.indexOf(p + " ") === 0 && labels[p]) {
        var rest = english.slice(p.length + 1);
        return labels[p].indexOf("{}") === -1 ? labels[p] + " " + rest
          : labels[p].replace("{}", function () { return rest; });
      }
    }
    return null;
  }

  // What Streamlit wrote and what is shown are remembered on the node, so a
  // word Streamlit changes is translated again and English can come back.
  function shown(node, key, current) {
    var memo = node.__yiwu && node.__yiwu[key];
    var english = memo && current === memo[1] ? memo[0] : current;
    var word = translate(english.trim());
    // (A function, so that no "$" in a word is read as a replacement pattern.)
    var text = word === null ? english : english.replace(english.trim(), function () { return word; });
    if (text !== english) {
      node.__yiwu = node.__yiwu || {};
      node.__yiwu[key] = [english, text];
    } else if (memo) {
      delete node.__yiwu[key];
    }
    return text;
  }

  function relabel() {
    document.querySelectorAll('[data-testid="stPageLink"] p').forEach(function (p) {
      var lang = window.__yiwuLangLinks[p.textContent.trim()];
      if (lang && p.getAttribute("lang") !== lang) { p.setAttribute("lang", lang); }
      if (!lang && p.hasAttribute("lang")) { p.removeAttribute("lang"); }
    });
    ATTRIBUTES.forEach(function (name) {
      document.querySelectorAll("[" + name + "]").forEach(function (el) {
        var current = el.getAttribute(name);
        var text = shown(el, name, current);
        if (text !== current) { el.setAttribute(name, text); }
      });
    });
    document.querySelectorAll(TEXT_BOXES).forEach(function (box) {
      var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.nodeValue.trim()) { continue; }
        var text = shown(node, "text", node.nodeValue);
        if (text !== node.nodeValue) { node.nodeValue = text; }
      }
    });
  }

  // A data table is named for a screen reader by the box that holds it
  // (its expander's title) or, outside one, by the heading before it.
  function nameTables() {
    var label = "";
    document.querySelectorAll('h1, h2, h3, h4, [data-testid="stMarkdownContainer"] > table').forEach(function (el) {
      if (el.tagName !== "TABLE") { label = el.textContent.trim(); return; }
      var box = el.closest("details");
      var summary = box && box.querySelector("summary");
      var title = summary ? (summary.querySelector('[data-testid="stMarkdownContainer"]') || summary) : null;
      var name = title ? title.textContent.trim() : label;
      if (name && el.getAttribute("aria-label") !== name) { el.setAttribute("aria-label", name); }
    });
  }

  function relabelAll() { relabel(); nameTables(); }

  window.__yiwuRelabel = relabelAll;
  new MutationObserver(relabelAll).observe(document.body, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES,
  });
  relabelAll();
})();
