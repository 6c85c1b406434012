/* Bantin's rich-text editor: a small contenteditable laid over <textarea data-rich-editor>.
   Without JavaScript the textarea itself is the editor. With it, the textarea stays the form
   field and holds the editor's HTML; the server cleans the HTML again when it saves.
   Pasted HTML goes to the server's cleaner (the one policy of sanitize.py) so the editor shows
   what will be saved; offline, a local allow-list does a simpler job. */
(function () {
  "use strict";

  var ALLOWED = {
    P: [], BR: [], H2: [], H3: [], H4: [], STRONG: [], B: [], EM: [], I: [], U: [],
    UL: [], OL: ["start"], LI: [], BLOCKQUOTE: [], A: ["href", "title"],
    IMG: ["src", "alt", "width", "height", "srcset", "sizes", "loading"],
    FIGURE: [], FIGCAPTION: [], TABLE: [], THEAD: [], TBODY: [], TFOOT: [], TR: [],
    TH: ["colspan", "rowspan", "scope"], TD: ["colspan", "rowspan"], CAPTION: [], HR: [],
    SUB: [], SUP: []
  };
  var DROPPED = /^(SCRIPT|STYLE|TEMPLATE|IFRAME|OBJECT|EMBED|NOSCRIPT|TITLE|META|LINK|XML|HEAD|SVG|MATH)$/;
  var RENAMED = { H1: "H2", H5: "H4", H6: "H4", DIV: "P" };
  var SAFE_URL = /^(https?:|mailto:|tel:|\/|#|[^:]*$)/i;
  var MEDIA_URL = /^\/media\/[A-Za-z0-9][A-Za-z0-9._\/-]*$/;
  var BLOCK = /^(P|H[1-6]|UL|OL|LI|TABLE|BLOCKQUOTE|FIGURE|DIV|HR)$/;

  /* --- A local allow-list, for loading text into the editor and for offline pastes --- */

  function safeAttribute(tag, name, value) {
    if (name === "href") return SAFE_URL.test(value.trim());
    if (name === "src") return MEDIA_URL.test(value);
    if (name === "srcset") {
      return value.split(",").every(function (part) {
        return MEDIA_URL.test(part.trim().split(" ")[0]);
      });
    }
    return true;
  }

  function cleanChildren(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1) {
        cleanElement(node, target);
      }
    });
  }

  function cleanElement(node, target) {
    var tag = node.tagName.toUpperCase();
    if (DROPPED.test(tag) || tag.indexOf(":") >= 0) return;
    if (tag === "SPAN" && /mso-list:\s*ignore/i.test(node.getAttribute("style") || "")) return;
    var name = RENAMED[tag] || tag;
    if (name === "P" && tag === "DIV" && hasBlock(node)) name = null;
    if (!name || !ALLOWED[name]) {
      cleanChildren(node, target);
      return;
    }
    var copy = document.createElement(name);
    ALLOWED[name].forEach(function (attribute) {
      var value = node.getAttribute(attribute);
      if (value !== null && safeAttribute(name, attribute, value)) copy.setAttribute(attribute, value);
    });
    if (name === "IMG" && !copy.getAttribute("src")) return;
    cleanChildren(node, copy);
    target.appendChild(copy);
  }

  function hasBlock(node) {
    return Array.prototype.some.call(node.children, function (child) {
      return BLOCK.test(child.tagName);
    });
  }

  function cleanHtml(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var holder = document.createElement("div");
    cleanChildren(parsed.body, holder);
    return holder.innerHTML;
  }

  function escapeText(text) {
    var holder = document.createElement("div");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function textToHtml(text) {
    return text.replace(/\r\n/g, "\n").split(/\n\s*\n/).filter(function (block) {
      return block.trim();
    }).map(function (block) {
      return "<p>" + block.split("\n").map(escapeText).join("<br>") + "</p>";
    }).join("");
  }

  /* --- The editor ----------------------------------------------------------------- */

  var BUTTONS = [
    ["Đoạn văn", "block", "P", "Đoạn văn thường"],
    ["Đề mục", "block", "H2", "Đề mục lớn"],
    ["Đề mục nhỏ", "block", "H3", "Đề mục nhỏ"],
    ["B", "command", "bold", "Chữ đậm (Ctrl+B)"],
    ["I", "command", "italic", "Chữ nghiêng (Ctrl+I)"],
    ["U", "command", "underline", "Gạch chân (Ctrl+U)"],
    ["• Danh sách", "command", "insertUnorderedList", "Danh sách dấu chấm"],
    // A button's name (its label here) contains the word on it, so a voice command saying
    // what one sees reaches it (WCAG 2.5.3); the one-letter marks are not words.
    ["Đánh số", "command", "insertOrderedList", "Danh sách đánh số"],
    ["Trích dẫn", "block", "BLOCKQUOTE", "Đoạn trích dẫn"],
    ["Liên kết", "link", "", "Gắn liên kết cho chữ đang chọn"],
    ["Bỏ liên kết", "command", "unlink", "Bỏ liên kết"],
    ["Ảnh", "image", "", "Chèn ảnh có chú thích"],
    ["Bảng", "table", "", "Chèn bảng 3 cột"],
    ["↶", "command", "undo", "Hoàn tác (Ctrl+Z)"],
    ["↷", "command", "redo", "Làm lại (Ctrl+Y)"],
    ["HTML", "source", "", "Xem và sửa mã HTML"]
  ];
  var STATE_COMMANDS = ["bold", "italic", "underline", "insertUnorderedList", "insertOrderedList"];

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function Editor(textarea) {
    this.textarea = textarea;
    this.form = textarea.form;
    this.cleanUrl = textarea.getAttribute("data-clean-url");
    this.uploadUrl = textarea.getAttribute("data-upload-url");
    this.maxBytes = parseInt(textarea.getAttribute("data-max-bytes") || "0", 10);
    this.pickUrl = textarea.getAttribute("data-pick-url");
    this.build();
    this.load(textarea.value);
    this.bind();
  }

  Editor.prototype.build = function () {
    var self = this;
    this.box = element("div", "rte");
    this.toolbar = element("div", "rte-toolbar");
    this.toolbar.setAttribute("role", "toolbar");
    this.toolbar.setAttribute("aria-label", "Định dạng nội dung");
    BUTTONS.forEach(function (spec) {
      var button = element("button", "rte-button", spec[0]);
      button.type = "button";
      button.title = spec[3];
      button.setAttribute("aria-label", spec[3]);
      button.setAttribute("data-kind", spec[1]);
      button.setAttribute("data-value", spec[2]);
      if (STATE_COMMANDS.indexOf(spec[2]) >= 0) button.setAttribute("aria-pressed", "false");
      self.toolbar.appendChild(button);
    });
    this.area = element("div", "rte-area");
    this.area.contentEditable = "true";
    this.area.setAttribute("role", "textbox");
    this.area.setAttribute("aria-multiline", "true");
    var label = this.textarea.id && document.querySelector("label[for='" + this.textarea.id + "']");
    this.area.setAttribute("aria-label", label ? label.textContent : "Nội dung");
    this.status = element("p", "rte-status");
    this.status.setAttribute("role", "status");
    this.box.appendChild(this.toolbar);
    this.box.appendChild(this.area);
    this.box.appendChild(this.status);
    this.textarea.parentNode.insertBefore(this.box, this.textarea.nextSibling);
    this.textarea.hidden = true;
    this.textarea.classList.add("rte-source");
  };

  Editor.prototype.bind = function () {
    var self = this;
    this.toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest(".rte-button")) event.preventDefault(); // keep the selection
    });
    this.toolbar.addEventListener("click", function (event) {
      var button = event.target.closest(".rte-button");
      if (button) self.run(button.getAttribute("data-kind"), button.getAttribute("data-value"));
    });
    this.area.addEventListener("input", function () { self.sync(); });
    this.area.addEventListener("paste", function (event) { self.paste(event); });
    this.area.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        self.say("Hãy dùng nút “Ảnh” để chèn ảnh: ảnh sẽ được thu nhỏ cho người đọc trên điện thoại.");
      }
    });
    document.addEventListener("selectionchange", function () { self.showState(); });
    this.textarea.addEventListener("bantin:load", function () { self.load(self.textarea.value); });
    if (this.form) this.form.addEventListener("submit", function () { self.sync(); });
  };

  Editor.prototype.load = function (html) {
    this.area.innerHTML = cleanHtml(html || "");
    if (!this.area.innerHTML) this.area.innerHTML = "<p><br></p>";
  };

  Editor.prototype.sync = function () {
    if (!this.textarea.hidden) return; // the HTML view is open: the textarea is the truth
    var html = this.area.innerHTML;
    var empty = !this.area.textContent.trim() && !this.area.querySelector("img");
    this.textarea.value = empty ? "" : html;
  };

  Editor.prototype.say = function (message, isError) {
    this.status.textContent = message;
    this.status.classList.toggle("rte-error", !!isError);
  };

  Editor.prototype.focus = function () {
    if (document.activeElement !== this.area) this.area.focus();
  };

  Editor.prototype.exec = function (command, value) {
    this.focus();
    document.execCommand(command, false, value === undefined ? null : value);
    this.sync();
  };

  Editor.prototype.run = function (kind, value) {
    if (kind === "command") this.exec(value);
    else if (kind === "block") this.formatBlock(value);
    else if (kind === "link") this.link();
    else if (kind === "image") this.openImageDialog();
    else if (kind === "table") this.insertHtml(this.saveRange(), this.tableHtml());
    else if (kind === "source") this.toggleSource();
    this.showState();
  };

  Editor.prototype.formatBlock = function (tag) {
    var current = this.currentBlock();
    this.exec("formatBlock", "<" + (current === tag ? "P" : tag) + ">");
  };

  Editor.prototype.currentBlock = function () {
    var selection = window.getSelection();
    var node = selection.rangeCount ? selection.getRangeAt(0).startContainer : null;
    while (node && node !== this.area) {
      if (node.nodeType === 1 && /^(P|H2|H3|H4|BLOCKQUOTE|LI)$/.test(node.tagName)) return node.tagName;
      node = node.parentNode;
    }
    return null;
  };

  Editor.prototype.showState = function () {
    if (!this.area.contains(document.activeElement) && document.activeElement !== this.area) return;
    Array.prototype.forEach.call(this.toolbar.querySelectorAll("[aria-pressed]"), function (button) {
      var on = false;
      try { on = document.queryCommandState(button.getAttribute("data-value")); } catch (e) { on = false; }
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  };

  Editor.prototype.link = function () {
    var url = window.prompt("Địa chỉ liên kết (ví dụ https://dichvucong.gov.vn):", "https://");
    if (!url || url === "https://") return;
    url = url.trim();
    if (!SAFE_URL.test(url)) {
      this.say("Địa chỉ này không dùng được. Hãy nhập địa chỉ bắt đầu bằng https:// hoặc http://", true);
      return;
    }
    if (window.getSelection().isCollapsed) {
      this.insertHtml(this.saveRange(), '<a href="' + escapeText(url).replace(/"/g, "&quot;") + '">' + escapeText(url) + "</a>");
    } else {
      this.exec("createLink", url);
    }
  };

  Editor.prototype.tableHtml = function () {
    var cells = "<td><br></td><td><br></td><td><br></td>";
    return "<table><thead><tr><th>Cột 1</th><th>Cột 2</th><th>Cột 3</th></tr></thead><tbody><tr>" +
      cells + "</tr><tr>" + cells + "</tr></tbody></table><p><br></p>";
  };

  Editor.prototype.toggleSource = function () {
    var showing = !this.textarea.hidden;
    if (showing) {
      this.load(this.textarea.value);
      this.textarea.hidden = true;
      this.area.hidden = false;
    } else {
      this.sync();
      this.textarea.hidden = false;
      this.area.hidden = true;
      this.textarea.focus();
    }
    Array.prototype.forEach.call(this.toolbar.querySelectorAll(".rte-button"), function (button) {
      if (button.getAttribute("data-kind") !== "source") button.disabled = !showing;
    });
  };

  /* --- Inserting at the place the editor was when the action began --- */

  Editor.prototype.saveRange = function () {
    var selection = window.getSelection();
    if (selection.rangeCount && this.area.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      return selection.getRangeAt(0).cloneRange();
    }
    return null;
  };

  /* A figure is a block of its own: at the end of a paragraph it goes after it, at the start
     before it, in the middle it splits the paragraph in two. The browser's insertHTML would
     put the picture inside the paragraph and its caption in a figure of its own. */
  Editor.prototype.topBlock = function (range) {
    var node = range && this.area.contains(range.startContainer) ? range.startContainer : null;
    while (node && node.parentNode !== this.area) node = node.parentNode;
    return node && node.nodeType === 1 ? node : null;
  };

  function isEmpty(node) {
    return !node.textContent.trim() && !(node.querySelector && node.querySelector("img, table, hr"));
  }

  Editor.prototype.insertBlock = function (range, html) {
    var holder = document.createElement("div");
    holder.innerHTML = cleanHtml(html);
    var figure = holder.firstElementChild;
    if (!figure) return;
    var block = this.topBlock(range);
    if (!block) {
      var last = this.area.lastElementChild;
      if (last && isEmpty(last)) this.area.replaceChild(figure, last);
      else this.area.appendChild(figure);
    } else if (/^(TABLE|FIGURE|HR)$/.test(block.tagName)) {
      this.area.insertBefore(figure, block.nextSibling);
    } else {
      var tail = document.createRange();
      tail.setStart(range.endContainer, range.endOffset);
      tail.setEnd(block, block.childNodes.length);
      var rest = element(block.tagName === "BLOCKQUOTE" ? "P" : block.tagName);
      rest.appendChild(tail.extractContents());
      this.area.insertBefore(figure, block.nextSibling);
      if (!isEmpty(rest)) this.area.insertBefore(rest, figure.nextSibling);
      if (isEmpty(block)) this.area.removeChild(block);
    }
    var next = figure.nextElementSibling;
    if (!next || next.tagName !== "P") {
      next = element("p");
      next.appendChild(document.createElement("br"));
      this.area.insertBefore(next, figure.nextSibling);
    }
    this.area.focus();
    var caret = document.createRange();
    caret.setStart(next, 0);
    caret.collapse(true);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(caret);
    this.sync();
    this.area.dispatchEvent(new Event("input", { bubbles: true }));
  };

  Editor.prototype.insertHtml = function (range, html) {
    this.area.focus();
    var selection = window.getSelection();
    if (range && this.area.contains(range.commonAncestorContainer)) {
      selection.removeAllRanges();
      selection.addRange(range);
    } else {
      range = document.createRange();
      range.selectNodeContents(this.area);
      range.collapse(false);
      selection.removeAllRanges();
      selection.addRange(range);
    }
    if (html) document.execCommand("insertHTML", false, html);
    this.sync();
    this.area.dispatchEvent(new Event("input", { bubbles: true }));
  };

  /* --- Paste from Word, Google Docs, web pages --- */

  Editor.prototype.paste = function (event) {
    var data = event.clipboardData;
    if (!data) return;
    var html = data.getData("text/html");
    var text = data.getData("text/plain");
    if (!html && !text) {
      if (data.files && data.files.length) {
        event.preventDefault();
        this.say("Hãy dùng nút “Ảnh” để chèn ảnh.", true);
      }
      return;
    }
    event.preventDefault();
    var range = this.saveRange();
    if (!html) {
      this.insertHtml(range, textToHtml(text));
      return;
    }
    this.cleanOnServer(html, text, range);
  };

  Editor.prototype.cleanOnServer = function (html, text, range) {
    var self = this;
    if (!this.cleanUrl || !navigator.onLine) {
      this.insertHtml(range, cleanHtml(html));
      return;
    }
    this.say("Đang làm sạch nội dung vừa dán…");
    var body = new FormData();
    body.append("html", html);
    body.append("csrf_token", this.csrfToken());
    fetch(this.cleanUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (!json) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (result) {
        if (result.error) {
          self.say(result.error + " Đã dán phần chữ, không kèm định dạng.", true);
          self.insertHtml(range, textToHtml(text));
          return;
        }
        self.say(dropNote(html, result.html));
        self.insertHtml(range, cleanHtml(result.html));
      })
      .catch(function () {
        self.say("Không liên lạc được máy chủ: đã dán với cách làm sạch đơn giản.");
        self.insertHtml(range, cleanHtml(html));
      });
  };

  function dropNote(before, after) {
    var pasted = (before.match(/<img\b/gi) || []).length;
    var kept = (after.match(/<img\b/gi) || []).length;
    if (pasted > kept) {
      return "Đã dán. " + (pasted - kept) + " ảnh dán kèm không giữ được: hãy chèn lại bằng nút “Ảnh”.";
    }
    return "Đã dán và làm sạch định dạng.";
  }

  Editor.prototype.csrfToken = function () {
    var field = this.form && this.form.querySelector("input[name='csrf_token']");
    return field ? field.value : "";
  };

  /* --- Images with captions, through POST /admin/media/upload --- */

  Editor.prototype.openImageDialog = function () {
    var range = this.saveRange();
    var dialog = this.dialog || this.buildDialog();
    dialog.range = range;
    dialog.picked = null;
    dialog.querySelector(".rte-picked-name").textContent = "";
    dialog.querySelector("[data-insert]").textContent = "Tải lên và chèn";
    dialog.querySelector("[data-pick]").hidden = !this.pickUrl;
    dialog.querySelector("form").reset();
    dialog.querySelector(".rte-dialog-error").textContent = "";
    if (dialog.showModal) dialog.showModal();
    else dialog.setAttribute("open", "");
    dialog.querySelector("input[type=file]").focus();
  };

  Editor.prototype.buildDialog = function () {
    var self = this;
    var dialog = element("dialog", "rte-dialog");
    dialog.innerHTML =
      '<form method="dialog" novalidate>' +
      "<h2>Chèn ảnh</h2>" +
      '<div class="field"><label>Tải ảnh mới lên <input type="file" name="file" accept="image/jpeg,image/png,image/webp,image/gif"></label></div>' +
      '<div class="field rte-picked"><button type="button" class="btn secondary" data-pick>Hoặc chọn ảnh có sẵn…</button> ' +
      '<span class="rte-picked-name"></span></div>' +
      '<div class="field"><label>Chú thích (hiện dưới ảnh) <input type="text" name="caption" maxlength="500"></label></div>' +
      '<div class="field"><label>Mô tả ảnh cho người không xem được ảnh <input type="text" name="alt" maxlength="250"></label></div>' +
      '<p class="rte-dialog-error error" role="alert"></p>' +
      '<p><button type="submit" class="btn primary" data-insert>Tải lên và chèn</button> ' +
      '<button type="button" class="btn" data-close>Hủy</button></p></form>';
    document.body.appendChild(dialog);
    dialog.querySelector("[data-close]").addEventListener("click", function () { self.closeDialog(); });
    dialog.querySelector("[data-pick]").addEventListener("click", function () {
      if (!self.pickUrl) return;
      picker.open(self.pickUrl, function (item) {
        dialog.picked = item;
        dialog.querySelector("form").elements.file.value = "";
        dialog.querySelector(".rte-picked-name").textContent = "Đã chọn: " + (item.name || "ảnh số " + item.id);
        dialog.querySelector("[data-insert]").textContent = "Chèn ảnh đã chọn";
      });
    });
    dialog.querySelector("input[type=file]").addEventListener("change", function () {
      dialog.picked = null;
      dialog.querySelector(".rte-picked-name").textContent = "";
      dialog.querySelector("[data-insert]").textContent = "Tải lên và chèn";
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      self.upload(dialog);
    });
    this.dialog = dialog;
    return dialog;
  };

  Editor.prototype.closeDialog = function () {
    if (this.dialog.close) this.dialog.close();
    else this.dialog.removeAttribute("open");
  };

  Editor.prototype.upload = function (dialog) {
    var self = this;
    var form = dialog.querySelector("form");
    var error = dialog.querySelector(".rte-dialog-error");
    var file = form.elements.file.files[0];
    if (!file && dialog.picked) {
      this.closeDialog();
      this.insertBlock(dialog.range, figureFrom(dialog.picked, form.elements.caption.value, form.elements.alt.value));
      this.say("Đã chèn ảnh. Bấm vào chú thích dưới ảnh để sửa.");
      return;
    }
    if (!file) {
      error.textContent = "Hãy chọn một ảnh để tải lên, hoặc chọn ảnh có sẵn.";
      return;
    }
    var photo = window.BantinPhoto;
    error.textContent = photo ? "Đang thu nhỏ ảnh…" : "Đang tải ảnh lên…";
    (photo ? photo.shrink(file) : Promise.resolve(file)).then(function (light) {
      if (self.maxBytes && light.size > self.maxBytes) {
        error.textContent = "Ảnh quá lớn (" + megabytes(light.size) + "). Tối đa " + megabytes(self.maxBytes) + ".";
        return;
      }
      var body = new FormData();
      body.append("file", light);
      body.append("caption", form.elements.caption.value);
      body.append("alt", form.elements.alt.value);
      body.append("csrf_token", self.csrfToken());
      // photo.js reports the progress of the upload (a phone's uplink may be slow).
      var sent = photo ? photo.send(self.uploadUrl, body, function (fraction) {
        error.textContent = "Đang tải ảnh lên… " + Math.round(fraction * 100) + "%";
      }) : fetch(self.uploadUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            return { status: response.status, data: data };
          });
        });
      return sent.then(function (answer) {
        var result = answer.data || {};
        if (answer.status >= 200 && answer.status < 300 && result.html) {
          self.closeDialog();
          self.insertBlock(dialog.range, result.html);
          self.say("Đã chèn ảnh. Bấm vào chú thích dưới ảnh để sửa.");
        } else {
          error.textContent = result.error || uploadFailure(answer.status);
        }
      });
    }).catch(function () {
      error.textContent = "Mất kết nối: ảnh chưa được tải lên. Hãy thử lại khi có mạng.";
    });
  };

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function uploadFailure(status) {
    if (status === 413) return "Ảnh quá lớn so với giới hạn của máy chủ. Hãy thu nhỏ ảnh rồi thử lại.";
    if (status === 404) return "Máy chủ này chưa có chức năng tải ảnh.";
    if (status === 400 || status === 401 || status === 403) {
      return "Phiên đăng nhập đã hết hạn. Hãy lưu bài (trang sẽ hỏi đăng nhập lại), rồi chèn ảnh sau.";
    }
    return "Không tải được ảnh (lỗi " + status + "). Hãy thử lại.";
  }

  /* A library image as the body stores it: <figure><img …><figcaption>…</figcaption></figure> */
  function figureFrom(item, caption, alt) {
    var holder = document.createElement("div");
    holder.innerHTML = cleanHtml(item.html);
    var figure = holder.querySelector("figure") || element("figure");
    var image = figure.querySelector("img");
    if (image) image.setAttribute("alt", alt.trim() || caption.trim());
    var old = figure.querySelector("figcaption");
    if (old) figure.removeChild(old);
    if (caption.trim()) figure.appendChild(element("figcaption", "", caption.trim()));
    return figure.outerHTML;
  }

  /* --- The picker: thumbnails of the library's images, searchable (GET media/chon.json) --- */

  var picker = {
    open: function (url, chosen) {
      var dialog = this.dialog || this.build();
      this.url = url;
      this.chosen = chosen;
      dialog.querySelector("input[type=search]").value = "";
      this.load("", 1);
      if (dialog.showModal) dialog.showModal();
      else dialog.setAttribute("open", "");
      dialog.querySelector("input[type=search]").focus();
    },

    build: function () {
      var self = this;
      var dialog = element("dialog", "picker");
      dialog.setAttribute("aria-labelledby", "picker-title");
      dialog.innerHTML =
        '<form method="dialog" role="search" class="picker-search">' +
        '<h2 id="picker-title">Chọn ảnh có sẵn</h2>' +
        '<label for="picker-q">Tìm theo tên tệp, tiêu đề hoặc chú thích</label>' +
        '<div class="picker-row"><input type="search" id="picker-q" name="q" maxlength="100">' +
        '<button type="submit" class="btn secondary">Tìm</button></div></form>' +
        '<p class="picker-status" role="status"></p><ul class="picker-grid"></ul>' +
        '<p class="picker-foot"><button type="button" class="btn secondary" data-more hidden>Xem thêm ảnh</button> ' +
        '<button type="button" class="btn" data-close>Đóng</button></p>';
      document.body.appendChild(dialog);
      dialog.querySelector("form").addEventListener("submit", function (event) {
        event.preventDefault();
        self.load(dialog.querySelector("input[type=search]").value.trim(), 1);
      });
      dialog.querySelector("[data-more]").addEventListener("click", function () {
        self.load(self.query, self.page + 1);
      });
      dialog.querySelector("[data-close]").addEventListener("click", function () { self.close(); });
      dialog.querySelector(".picker-grid").addEventListener("click", function (event) {
        var button = event.target.closest("button[data-index]");
        if (!button) return;
        var item = self.items[parseInt(button.getAttribute("data-index"), 10)];
        self.close();
        self.chosen(item);
      });
      this.dialog = dialog;
      return dialog;
    },

    close: function () {
      if (this.dialog.close) this.dialog.close();
      else this.dialog.removeAttribute("open");
    },

    load: function (query, page) {
      var self = this;
      var grid = this.dialog.querySelector(".picker-grid");
      var status = this.dialog.querySelector(".picker-status");
      var more = this.dialog.querySelector("[data-more]");
      if (page === 1) {
        grid.textContent = "";
        this.items = [];
      }
      this.query = query;
      this.page = page;
      status.textContent = "Đang tải ảnh…";
      var address = this.url + "?q=" + encodeURIComponent(query) + (page > 1 ? "&trang=" + page : "");
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (result) {
          result.items.forEach(function (item) { self.add(grid, item); });
          more.hidden = !result.has_next;
          status.textContent = self.items.length ? "" :
            (query ? "Không thấy ảnh nào khớp “" + query + "”." : "Thư viện chưa có ảnh nào.");
        })
        .catch(function () {
          status.textContent = "Không tải được danh sách ảnh. Hãy kiểm tra mạng rồi thử lại.";
        });
    },

    add: function (grid, item) {
      var index = this.items.push(item) - 1;
      var li = element("li");
      var button = element("button", "picker-item");
      button.type = "button";
      button.setAttribute("data-index", String(index));
      var image = element("img");
      image.src = item.thumb;
      image.alt = "";
      image.width = 160;
      if (item.width && item.height) image.height = Math.round(160 * item.height / item.width);
      image.loading = "lazy";
      button.appendChild(image);
      button.appendChild(element("span", "picker-name", item.name || "Ảnh số " + item.id));
      li.appendChild(button);
      grid.appendChild(li);
    }
  };

  window.BantinEditor = { cleanHtml: cleanHtml };
  window.BantinPicker = picker;
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-rich-editor]"), function (textarea) {
    textarea.bantinEditor = new Editor(textarea);
  });
  document.execCommand("defaultParagraphSeparator", false, "p");
  document.execCommand("styleWithCSS", false, false);
})();
