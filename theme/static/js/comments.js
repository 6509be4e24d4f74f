// Comments load only when the reader asks: until then no third-party request is made.
// Without JavaScript the page reads the same, and its note says where comments live.
for (const box of document.querySelectorAll("[data-floor-comments]")) {
  const button = box.querySelector(".comments-load");
  box.querySelector(".comments-nojs").hidden = true;
  button.hidden = false;
  button.addEventListener("click", () => {
    const script = document.createElement("script");
    script.src = box.dataset.src;
    script.async = true;
    if (box.dataset.floorComments === "giscus") script.crossOrigin = "anonymous";
    for (const [name, value] of JSON.parse(box.dataset.attrs)) script.setAttribute(name, value);
    button.remove();
    box.setAttribute("aria-busy", "true");
    script.addEventListener("load", () => box.removeAttribute("aria-busy"));
    script.addEventListener("error", () => {
      box.removeAttribute("aria-busy");
      const note = document.createElement("p");
      note.textContent = box.dataset.failed; // in the column's language (the page's catalogue)
      box.append(note);
    });
    box.append(script);
  }, { once: true });
}
