/* Refuse a file over the size limit as soon as it is chosen, before a slow upload starts.
   The server checks again; this only spares the editor a long wait on a weak connection. */
(function () {
  "use strict";
  function sizeText(bytes) {
    return bytes < 1048576
      ? Math.round(bytes / 1024) + " KB"
      : (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }
  function check(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var tooBig = Array.prototype.filter.call(input.files || [], function (file) {
      return file.size > limit;
    });
    var message = tooBig.length
      ? "Tệp “" + tooBig[0].name + "” nặng " + sizeText(tooBig[0].size) +
        ", vượt giới hạn " + sizeText(limit) + ". Hãy thu nhỏ hoặc nén tệp rồi chọn lại."
      : "";
    input.setCustomValidity(message);
    var note = input.parentNode.querySelector(".size-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "error size-error";
      note.setAttribute("role", "alert");
      input.parentNode.appendChild(note);
    }
    note.textContent = message;
    note.hidden = !message;
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      check(input);
    }
  });
})();
