/* The safety net of a long form (articles, static pages): a copy of what is typed stays in
   this browser's localStorage until a page from the server says the save went through
   (data-clear-drafts); after a failed submit, a reload or a dropped connection the copy is
   offered back. Also: slugs from Vietnamese titles, a session kept alive while the editor
   types, and files too large for the server refused before a long upload. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var PREFIX = "bantin:draft:";
  var KEY = PREFIX + form.getAttribute("data-draft-key");
  var MAX_AGE = 30 * 24 * 3600 * 1000;
  var PING_EVERY = 4 * 60 * 1000;
  var NOT_KEPT = /^(csrf_token|relogin_username|relogin_password|action)$/;
  var submitting = false;
  var dirty = false;

  /* --- localStorage, which may be missing or full: never let it break the form --- */

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false;
    }
  }

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function kept(field) {
    if (!field.name || NOT_KEPT.test(field.name)) return false;
    if (field.type === "hidden") return field.name === "version";
    return !/^(file|password|submit|button|reset)$/.test(field.type);
  }

  function values() {
    var found = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) return;
      if (field.name === "attachment_pending") {
        // Files sent before the first save: the list of those still ticked, with their names.
        found[field.name] = found[field.name] || [];
        if (field.checked) found[field.name].push([field.value, field.getAttribute("data-label")]);
      } else if (field.type === "radio") {
        // A group of radios (the categories) is one value: the checked one's, or none.
        if (field.checked) found[field.name] = field.value;
        else if (!(field.name in found)) found[field.name] = "";
      } else {
        found[field.name] = field.type === "checkbox" ? field.checked : field.value;
      }
    });
    return found;
  }

  function saveCopy() {
    store(KEY, { savedAt: Date.now(), values: values() });
  }

  function same(a, b) {
    if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
    return String(a).replace(/\s+/g, " ").trim() === String(b).replace(/\s+/g, " ").trim();
  }

  function differs(copy) {
    var now = values();
    return Object.keys(copy.values).some(function (name) {
      return name !== "version" && name in now && !same(copy.values[name], now[name]);
    });
  }

  function restore(copy) {
    var files = copy.values.attachment_pending;
    if (files && addPending) {
      files.forEach(function (item) { addPending(item[0], item[1]); });
      Array.prototype.forEach.call(form.querySelectorAll("input[name=attachment_pending]"), function (box) {
        box.checked = files.some(function (item) { return item[0] === box.value; });
      });
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name === "attachment_pending") return;
      if (!kept(field) || !(field.name in copy.values)) return;
      if (field.type === "checkbox") field.checked = !!copy.values[field.name];
      else if (field.type === "radio") field.checked = field.value === copy.values[field.name];
      else field.value = copy.values[field.name];
      if (field.tagName === "TEXTAREA") field.dispatchEvent(new Event("bantin:load"));
    });
  }

  /* --- Messages at the top of the form --- */

  function banner(className, text) {
    var box = document.createElement("div");
    box.className = "draft-banner " + className;
    box.setAttribute("role", "alert");
    var message = document.createElement("p");
    message.textContent = text;
    box.appendChild(message);
    form.insertBefore(box, form.firstChild);
    box.scrollIntoView({ block: "nearest" });
    return box;
  }

  function button(box, label, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "btn";
    node.textContent = label;
    node.addEventListener("click", action);
    box.appendChild(node);
    return node;
  }

  function when(timestamp) {
    var date = new Date(timestamp);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(date.getHours()) + ":" + two(date.getMinutes()) + " ngày " +
      two(date.getDate()) + "/" + two(date.getMonth() + 1) + "/" + date.getFullYear();
  }

  function offer(copy) {
    var box = banner("draft-offer", "Máy này còn giữ bản bạn đang viết lúc " + when(copy.savedAt) +
      ", chưa được lưu lên trang. Bạn có muốn lấy lại bản đó không?");
    button(box, "Khôi phục bản trên máy", function () {
      restore(copy);
      box.firstChild.textContent = "Đã khôi phục bản trên máy. Hãy kiểm tra rồi bấm lưu.";
      Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.remove(); });
      dirty = true;
    }).classList.add("primary");
    button(box, "Bỏ bản trên máy", function () {
      store(KEY, null);
      box.remove();
    });
  }

  var offlineBox = null;
  function showOffline() {
    if (offlineBox) offlineBox.remove();
    offlineBox = banner("draft-offline", "Mất kết nối mạng: bài chưa được gửi đi. Nội dung vẫn " +
      "được giữ trên máy này. Khi có mạng trở lại, hãy bấm lưu lần nữa.");
  }

  window.addEventListener("online", function () {
    if (offlineBox) offlineBox.firstChild.textContent = "Đã có mạng trở lại. Hãy bấm lưu lần nữa.";
  });

  /* --- Slugs from Vietnamese titles: "Đường làng" → "duong-lang" --- */

  function slugify(text) {
    var slug = text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    return slug.slice(0, 80).replace(/-+$/, "");
  }

  var title = form.querySelector("[data-slug-source]");
  var slug = form.querySelector("[data-slug-target]");
  if (title && slug) {
    // A published article keeps its address: the slug follows the title only when asked.
    var locked = slug.hasAttribute("data-slug-locked");
    var savedSlug = slug.value;
    var follow = !locked && (!slug.value || slug.value === slugify(title.value));
    slug.addEventListener("input", function () { follow = !locked && !slug.value; });
    title.addEventListener("input", function () { if (follow) slug.value = slugify(title.value); });
    var change = form.querySelector("input[name=change_slug]");
    if (change) {
      change.addEventListener("change", function () {
        follow = change.checked;
        slug.value = change.checked ? slugify(title.value) : savedSlug;
      });
    }
  }

  /* --- The lead image: chosen from the library's thumbnails instead of typed as a number --- */

  var lead = form.querySelector("[data-lead-picker]");
  var leadInput = form.querySelector("input[name=image_id]");
  if (lead && leadInput && window.BantinPicker) {
    var preview = lead.querySelector("[data-lead-preview]");
    var clear = lead.querySelector("[data-clear-lead]");
    var fallback = lead.querySelector("[data-image-id-fallback]");
    Array.prototype.forEach.call(lead.querySelectorAll("[data-js-only]"), function (node) {
      node.hidden = false;
    });
    if (fallback && !fallback.classList.contains("has-errors")) fallback.hidden = true;

    var showLead = function (thumb, name) {
      preview.textContent = "";
      if (thumb) {
        var image = document.createElement("img");
        image.className = "lead-thumb";
        image.src = thumb;
        image.width = 160;
        image.alt = "Ảnh đại diện đang dùng: " + name;
        preview.appendChild(image);
      } else {
        var empty = document.createElement("p");
        empty.className = "empty";
        empty.textContent = "Chưa có ảnh đại diện.";
        preview.appendChild(empty);
      }
      clear.hidden = !thumb;
      leadInput.dispatchEvent(new Event("change", { bubbles: true }));
    };
    lead.querySelector("[data-pick-lead]").addEventListener("click", function () {
      window.BantinPicker.open(lead.getAttribute("data-lead-picker"), function (item) {
        leadInput.value = String(item.id);
        showLead(item.thumb, item.name || "ảnh số " + item.id);
      });
    });
    clear.addEventListener("click", function () {
      leadInput.value = "";
      showLead(null, "");
    });
  }

  /* --- Uploads in the background, with progress: the form stays as it is meanwhile, and a
     save pressed during an upload waits for it (photo.js shrinks photos first) --- */

  var Photo = window.BantinPhoto;
  var busy = 0;
  var waitingSubmitter = null;

  function csrfToken() {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function started() { busy += 1; }

  function finished() {
    busy -= 1;
    if (busy === 0 && waitingSubmitter) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      if (form.requestSubmit) form.requestSubmit(submitter);
      else submitter.click();
    }
  }

  function keepOnly(input, files) {
    // The files still to send stay in the field, so that a plain submit carries them.
    try {
      var kept = new DataTransfer();
      files.forEach(function (file) { kept.items.add(file); });
      input.files = kept.files;
    } catch (error) {
      if (!files.length) input.value = "";
    }
  }

  function progressBox(panel, className) {
    var box = panel.querySelector("." + className);
    if (box) return box;
    box = document.createElement("div");
    box.className = "upload-progress " + className;
    box.innerHTML = '<p class="upload-text" role="status"></p><progress max="100" value="0" hidden></progress>';
    panel.appendChild(box);
    return box;
  }

  function report(box, text, fraction, isError) {
    var line = box.querySelector(".upload-text");
    line.textContent = text;
    line.className = "upload-text" + (isError ? " error" : "");
    var bar = box.querySelector("progress");
    bar.hidden = fraction === null;
    if (fraction !== null) bar.value = Math.round(fraction * 100);
    var again = box.querySelector("button");
    if (again) again.remove();
  }

  function retryButton(box, label, action) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "btn secondary";
    node.textContent = label;
    node.addEventListener("click", action);
    box.appendChild(node);
  }

  function upload(url, fields, box, what) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    body.append("csrf_token", csrfToken());
    report(box, "Đang gửi " + what.toLowerCase() + "… 0%", 0, false);
    return Photo.send(url, body, function (fraction) {
      report(box, "Đang gửi " + what.toLowerCase() + "… " + Math.round(fraction * 100) + "%", fraction, false);
    }).then(function (answer) {
      if (answer.status >= 200 && answer.status < 300) return answer.data;
      throw new Error(answer.data.error || Photo.failure(answer.status, what));
    }, function () {
      throw new Error("Mất kết nối: " + what.toLowerCase() + " chưa được gửi. Bài vẫn còn " +
        "nguyên; bấm “Thử lại” khi có mạng.");
    });
  }

  /* The lead picture: shrunk, sent at once, then the form holds only its number. */
  var leadFile = form.querySelector("input[name=image_upload]");
  var leadPanel = form.querySelector("[data-lead-picker]");
  if (Photo && leadFile && leadPanel && leadInput && window.FormData) {
    var sendLead = function (file) {
      var box = progressBox(leadPanel.querySelector("[data-upload-status]") || leadPanel, "lead-progress");
      started();
      upload(leadPanel.getAttribute("data-upload-url"), { file: file }, box, "Ảnh")
        .then(function (data) {
          leadInput.value = String(data.id);
          keepOnly(leadFile, []);
          showLeadThumb(data.id, file.name);
          report(box, "Đã tải ảnh lên (" + Photo.megabytes(file.size) + "). Ảnh sẽ là ảnh đại diện khi lưu bài.", null, false);
          saveCopy();
        }, function (error) {
          report(box, error.message, null, true);
          retryButton(box, "Thử lại", function () { sendLead(file); });
        })
        .then(finished);
    };
    leadFile.addEventListener("change", function () {
      var file = leadFile.files && leadFile.files[0];
      if (!file) return;
      started();
      Photo.shrink(file).then(function (light) {
        keepOnly(leadFile, [light]);  // a plain submit, if it comes to that, sends the light one
        sendLead(light);
      }).then(finished);
    });
  }

  function showLeadThumb(id, name) {
    var preview = leadPanel.querySelector("[data-lead-preview]");
    preview.textContent = "";
    var image = document.createElement("img");
    image.className = "lead-thumb";
    image.src = "/media/" + id + "-160.jpg";
    image.width = 160;
    image.alt = "Ảnh đại diện đang dùng: " + name;
    preview.appendChild(image);
    var clear = leadPanel.querySelector("[data-clear-lead]");
    if (clear) clear.hidden = false;
  }

  /* Files for a new article, sent as soon as they are chosen and ticked in the list. */
  var filesPanel = form.querySelector("[data-stage-url]");
  var pendingList = filesPanel && filesPanel.querySelector("[data-pending-files]");
  var addPending = pendingList ? function (token, label) {
    var boxes = pendingList.querySelectorAll("input[name=attachment_pending]");
    for (var i = 0; i < boxes.length; i += 1) if (boxes[i].value === token) return;
    var item = document.createElement("li");
    var name = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "attachment_pending";
    box.value = token;
    box.checked = true;
    box.setAttribute("data-label", label);
    name.appendChild(box);
    name.appendChild(document.createTextNode(" " + label));
    item.appendChild(name);
    pendingList.appendChild(item);
  } : null;

  if (Photo && filesPanel && window.FormData) {
    var filesInput = filesPanel.querySelector("input[name=attachment_file]");
    var sendFiles = function (files) {
      var box = progressBox(filesPanel, "files-progress");
      var failed = [];
      var errors = [];
      started();
      var chain = Promise.resolve();
      files.forEach(function (file) {
        chain = chain.then(function () {
          return upload(filesPanel.getAttribute("data-stage-url"), { file: file }, box, "Tệp “" + file.name + "”")
            .then(function (data) {
              addPending(data.token, data.name + " (" + data.size + ")");
            }, function (error) {
              failed.push(file);
              errors.push(error.message);
            });
        });
      });
      chain.then(function () {
        keepOnly(filesInput, failed);
        saveCopy();
        if (failed.length) {
          report(box, errors.join(" "), null, true);
          retryButton(box, "Thử lại", function () { sendFiles(failed); });
        } else {
          report(box, "Đã gửi tệp. Tệp được đính kèm khi lưu bài.", null, false);
        }
      }).then(finished);
    };
    filesInput.addEventListener("change", function () {
      var files = Array.prototype.slice.call(filesInput.files || []);
      if (files.length) sendFiles(files);
    });
  }

  /* --- Keeping the session alive while the editor types --- */

  var pingUrl = form.getAttribute("data-ping-url");
  var lastPing = Date.now();
  var typed = false;
  var endedBox = null;

  function ping() {
    lastPing = Date.now();
    typed = false;
    fetch(pingUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401 && !endedBox) {
        endedBox = banner("draft-session", "Phiên đăng nhập đã kết thúc. Bài vẫn được giữ trên " +
          "máy này; khi bấm lưu, trang sẽ hỏi mật khẩu rồi lưu tiếp.");
      }
    }).catch(function () { /* offline: the submit handler will say so */ });
  }

  if (pingUrl) {
    window.setInterval(function () {
      if (typed && Date.now() - lastPing > PING_EVERY) ping();
    }, 60 * 1000);
  }

  /* --- Files the server would refuse anyway --- */

  function tooLarge() {
    var found = null;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file][data-max-bytes]"), function (input) {
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (limit && file.size > limit) found = input;
      });
    });
    return found;
  }

  /* --- Attachments sent in the background: the page, and what is typed in it, stay --- */

  function attachmentMessage(section, text, isError) {
    var note = section.querySelector(".attachment-status");
    if (!note) {
      note = document.createElement("p");
      note.className = "attachment-status";
      note.setAttribute("role", "status");
      section.insertBefore(note, section.children[1] || null);
    }
    note.className = "attachment-status flash flash-" + (isError ? "error" : "success");
    note.textContent = text;
  }

  function sendAttachmentForm(section, small, submitter) {
    var body = new FormData(small);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    attachmentMessage(section, "Đang gửi tệp…", false);
    Array.prototype.forEach.call(small.querySelectorAll("button"), function (b) { b.disabled = true; });
    fetch(small.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 413) throw new Error("Tệp quá lớn so với giới hạn của máy chủ.");
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector(".attachments-admin");
          if (!response.ok || !fresh) {
            throw new Error("Phiên đăng nhập đã hết hạn hoặc máy chủ từ chối. Hãy lưu bài " +
              "(trang sẽ hỏi đăng nhập lại), rồi đính kèm tệp sau.");
          }
          var flashes = page.querySelectorAll(".desk-main > .flash");
          section.innerHTML = fresh.innerHTML;
          Array.prototype.forEach.call(flashes, function (flash) {
            attachmentMessage(section, flash.textContent, flash.classList.contains("flash-error"));
          });
        });
      })
      .catch(function (error) {
        Array.prototype.forEach.call(small.querySelectorAll("button"), function (b) { b.disabled = false; });
        attachmentMessage(section, navigator.onLine ? error.message :
          "Mất kết nối: tệp chưa được gửi. Hãy thử lại khi có mạng.", true);
      });
  }

  document.addEventListener("submit", function (event) {
    var small = event.target;
    var section = small.closest && small.closest(".attachments-admin");
    if (!section || !window.fetch || !window.DOMParser) return;
    var submitter = event.submitter;
    var question = submitter && submitter.getAttribute("data-confirm");
    event.preventDefault();
    if (question && !window.confirm(question)) return;
    sendAttachmentForm(section, small, submitter);
  });

  /* --- Wiring --- */

  (form.getAttribute("data-clear-drafts") || "").split(" ").forEach(function (key) {
    if (key) store(PREFIX + key, null);
  });
  var copy = read(KEY);
  if (copy && copy.values && Date.now() - copy.savedAt > MAX_AGE) {
    store(KEY, null);
  } else if (copy && copy.values && differs(copy)) {
    offer(copy);
  }

  var timer = null;
  function changed() {
    dirty = true;
    typed = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(saveCopy, 400);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  form.addEventListener("submit", function (event) {
    saveCopy();
    var preview = event.submitter && event.submitter.hasAttribute("data-preview");
    if (busy > 0 && !preview) {
      // A picture or a file is on its way: save as soon as it has arrived, not twice.
      event.preventDefault();
      if (!waitingSubmitter) {
        banner("draft-waiting", "Đang gửi ảnh hoặc tệp: bài sẽ được lưu ngay khi gửi xong.");
      }
      waitingSubmitter = event.submitter || form.querySelector("button[type=submit]");
      return;
    }
    if (!navigator.onLine) {
      event.preventDefault();
      showOffline();
      return;
    }
    var input = tooLarge();
    if (input) {
      event.preventDefault();
      banner("draft-offline", "Tệp đã chọn quá lớn để gửi lên máy chủ. Hãy chọn tệp nhỏ hơn.");
      input.focus();
      return;
    }
    if (!preview) submitting = true;
  });

  window.addEventListener("pageshow", function () { submitting = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      saveCopy();
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
