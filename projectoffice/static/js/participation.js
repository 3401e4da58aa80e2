// A passage selected in a paragraph of the draft becomes the quote of that paragraph's remark.
document.addEventListener("mouseup", function () {
  var selection = window.getSelection();
  if (!selection || selection.isCollapsed) return;
  var node = selection.anchorNode;
  var element = node && (node.nodeType === 1 ? node : node.parentElement);
  var text = element && element.closest(".paragraph-text");
  if (!text) return;
  var article = text.closest(".paragraph");
  var quote = article.querySelector("textarea.quote");
  var details = article.querySelector("details.remark-form");
  if (!quote || !details) return;
  quote.value = selection.toString().trim().slice(0, 2000);
  details.open = true;
});
