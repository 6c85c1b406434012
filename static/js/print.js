// The print view's "In bài này" button: shown only when this script runs, since without
// JavaScript it could do nothing (the browser's own Print command still works).
document.querySelectorAll(".print-button").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
