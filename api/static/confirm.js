// A form with data-confirm asks before it is sent (disabling an account cannot be undone here).
document.addEventListener("submit", function (e) {
  var text = e.target && e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) e.preventDefault();
});
