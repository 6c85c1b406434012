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
      if (field.type === "radio") {
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
    return String(a).replace(/\s+/g, " ").trim() === String(b).replace(/\s+/g, " ").trim();
  }

  function differs(copy) {
    var now = values();
    return Object.keys(copy.values).some(function (name) {
      return name !== "version" && name in now && !same(copy.values[name], now[name]);
    });
  }

  function restore(copy) {
    Array.prototype.forEach.call(form.elements, function (field) {
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
      var file = input.files && input.files[0];
      if (limit && file && file.size > limit) found = input;
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
