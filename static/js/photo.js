/* Sending pictures and files from the desk over a weak uplink (a phone on 3G in a village):
   a photo is shrunk in the browser first (a 4,000 px, 5 MB camera photo becomes a 2,400 px
   JPEG of about 1 MB: the server keeps 1,600 px at most anyway), and every upload reports
   its progress. Used by article-form.js (the lead picture, attachments) and editor.js
   (pictures in the body). Without this script the forms send the files as chosen, and the
   server applies its own limits and checks either way. */
(function () {
  "use strict";

  var LONGEST = 2400;         // px: above what the site ever serves (1,600), for the crop
  var QUALITY = 0.85;
  var SMALL_ENOUGH = 1200000; // bytes: a photo this light within LONGEST is sent as it is
  var SHRUNK = /^image\/(jpeg|webp)$/; // photos; PNG may be transparent, GIF may move

  function scaled(width, height) {
    var ratio = Math.min(1, LONGEST / Math.max(width, height));
    return { width: Math.round(width * ratio), height: Math.round(height * ratio) };
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = reject;
      image.src = URL.createObjectURL(file);
    });
  }

  function jpegName(name) {
    return (name.replace(/\.[^.\/\\]*$/, "") || "anh") + ".jpg";
  }

  /* Resolve with a lighter JPEG of the photo, or with the file itself when it is already
     light, is not a photo, or the browser cannot draw it: never fail. */
  function shrink(file) {
    if (!file || !SHRUNK.test(file.type) || !window.Promise || !window.HTMLCanvasElement) {
      return Promise.resolve(file);
    }
    return decode(file).then(function (picture) {
      var width = picture.naturalWidth || picture.width;
      var height = picture.naturalHeight || picture.height;
      if (file.size <= SMALL_ENOUGH && Math.max(width, height) <= LONGEST) return file;
      var size = scaled(width, height);
      var canvas = document.createElement("canvas");
      canvas.width = size.width;
      canvas.height = size.height;
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(picture, 0, 0, size.width, size.height);
      if (picture.close) picture.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], jpegName(file.name), { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  /* POST a FormData, calling progress(fraction) as the body goes out; resolve with
     { status, data } (data: the JSON answer, or {}); reject only when the network failed. */
  function send(url, body, progress) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.withCredentials = true;
      request.setRequestHeader("Accept", "application/json");
      if (progress && request.upload) {
        request.upload.onprogress = function (event) {
          if (event.lengthComputable) progress(event.loaded / event.total);
        };
      }
      request.onload = function () {
        var data = {};
        try { data = JSON.parse(request.responseText); } catch (error) { /* not JSON */ }
        resolve({ status: request.status, data: data });
      };
      request.onerror = function () { reject(new Error("network")); };
      request.ontimeout = request.onerror;
      request.send(body);
    });
  }

  function failure(status, what) {
    if (status === 413) return what + " quá lớn so với giới hạn của máy chủ.";
    if (status === 408) {
      return "Mạng quá chậm nên máy chủ đã dừng nhận " + what.toLowerCase() + ". Bài vẫn còn " +
        "nguyên; bấm “Thử lại” khi sóng mạnh hơn.";
    }
    if (status === 401 || status === 400 || status === 403) {
      return "Phiên đăng nhập đã hết hạn: " + what.toLowerCase() + " chưa được gửi. Hãy bấm lưu " +
        "(trang sẽ hỏi đăng nhập lại).";
    }
    return "Không gửi được " + what.toLowerCase() + " (lỗi " + status + "). Hãy thử lại.";
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  window.BantinPhoto = { shrink: shrink, send: send, failure: failure, megabytes: megabytes };
})();
