// "Nghe đọc bài": the browser's own speech reads the article aloud (title, summary, body),
// with pause, resume and stop. The buttons are made here and only where the browser has a
// Vietnamese voice, so without JavaScript or without such a voice the page is as it was.
// Voices often arrive after the page has loaded: "voiceschanged" says when.
(() => {
  const speech = window.speechSynthesis;
  const article = document.querySelector("article.detail");
  const meta = article && article.querySelector(".meta");
  if (!speech || !window.SpeechSynthesisUtterance || !meta) return;

  // What is read, in page order; a block holding another block is read through its parts.
  const BLOCKS = "p, li, h2, h3, h4, blockquote, td, th, figcaption";
  const LABELS = { idle: "Nghe đọc bài", speaking: "Tạm dừng", paused: "Đọc tiếp" };
  let box = null;
  let toggle = null;
  let stop = null;
  let state = "idle";
  let run = 0; // each reading's number: a cancelled reading's late "end" changes nothing
  let texts = [];
  let current = 0; // the passage being read, where a dropped reading starts again

  const vietnameseVoice = () =>
    speech.getVoices().find((voice) => /^vi([-_]|$)/i.test(voice.lang)) || null;

  function passages() {
    const title = article.querySelector("h1");
    const summary = article.querySelector(".summary");
    const body = [...article.querySelectorAll(".body :is(" + BLOCKS + ")")].filter(
      (block) => !block.querySelector(BLOCKS),
    );
    return [title, summary, ...body]
      .filter(Boolean)
      .map((block) => block.textContent.replace(/\s+/g, " ").trim())
      .filter(Boolean);
  }

  function show(next) {
    state = next;
    toggle.textContent = LABELS[next];
    stop.hidden = next === "idle";
  }

  // One utterance per passage: some engines stop a long utterance after about 15 seconds.
  function read(voice, from) {
    const mine = ++run;
    speech.cancel();
    texts.slice(from).forEach((text, offset) => {
      const index = from + offset;
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.addEventListener("start", () => {
        if (mine === run) current = index;
      });
      if (index === texts.length - 1) {
        utterance.addEventListener("end", () => mine === run && show("idle"));
      }
      speech.speak(utterance);
    });
    show("speaking");
  }

  // Some phones' engines drop the queue on pause (Chrome on Android): when resuming leaves
  // nothing speaking, read again from the passage that was interrupted.
  function resume(voice) {
    speech.resume();
    show("speaking");
    const mine = run;
    setTimeout(() => {
      if (mine === run && state === "speaking" && voice && !speech.speaking) read(voice, current);
    }, 400);
  }

  function onToggle() {
    const voice = vietnameseVoice();
    if (state === "speaking") {
      speech.pause();
      show("paused");
    } else if (state === "paused") {
      resume(voice);
    } else if (voice) {
      texts = passages();
      current = 0;
      read(voice, 0);
    }
  }

  function onStop() {
    run += 1;
    speech.cancel();
    show("idle");
  }

  function button(className, handler) {
    const made = document.createElement("button");
    made.type = "button";
    made.className = className;
    made.addEventListener("click", handler);
    return made;
  }

  function insert() {
    box = document.createElement("span");
    box.className = "listen";
    toggle = button("listen-button", onToggle);
    stop = button("listen-stop", onStop);
    stop.textContent = "Dừng đọc";
    box.append(toggle, stop);
    meta.append(box);
    show("idle");
  }

  function update() {
    const voice = vietnameseVoice();
    if (voice && !box) insert();
    if (!voice && box && state === "idle") {
      box.remove();
      box = null;
    }
  }

  update();
  // Older Safari gives its voices at once and has no such event.
  if (speech.addEventListener) speech.addEventListener("voiceschanged", update);
  window.addEventListener("pagehide", () => speech.cancel());
})();
