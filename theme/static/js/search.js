// Search the Pagefind index written at build time. Without JavaScript the form
// does nothing and the page's note (hidden here) says where else to look.
// A large column's index is in shards (data-pagefind-merge lists all but the
// first): Pagefind merges them into the first and ranks all results together.
const form = document.querySelector("form[data-pagefind]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let ready; // Pagefind with every shard merged in, loaded on the first search
const merged = (form.dataset.pagefindMerge || "").split(" ").filter(Boolean);
// The words come from the page (the column's catalogue), with {count} and {query} to fill in.
const words = form.dataset;
const plural = new Intl.PluralRules(document.documentElement.lang || "en");
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
document.getElementById("search-nojs").hidden = true; // this script runs: search works

// Pagefind's excerpt is escaped text with <mark> around the hits: keep only those two.
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const p = document.createElement("p");
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(document.createTextNode(node.textContent));
    }
  }
  return p;
}

async function run(query) {
  query = query.trim();
  list.replaceChildren();
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = words.searching;
  try {
    // once per page (a shard merged twice would list its results twice)
    ready ??= import(form.dataset.pagefind).then(async (loaded) => {
      await Promise.all(merged.map((part) => loaded.mergeIndex(new URL(part, location.href).href)));
      return loaded;
    });
    const pagefind = await ready;
    const search = await pagefind.search(query);
    const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    for (const page of found) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.meta.title || page.url;
      item.append(link, excerpt(page.excerpt));
      list.append(item);
    }
    const n = search.results.length;
    const message = plural.select(n) === "one" ? words.foundOne : words.foundOther;
    status.textContent = fill(n ? message : words.none, { count: String(n), query });
  } catch (error) {
    status.textContent = words.failed;
    console.error(error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
