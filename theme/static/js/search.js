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
// Plural rules of the words' language: the page's, or English where the kit has no catalogue
// for it (data-words-lang), since "1 answers" is what Japanese rules pick from English words.
const plural = new Intl.PluralRules(words.wordsLang || document.documentElement.lang || "en");
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

// Each shard's pages carry a filter naming their shard ("1" is the first), added as Pagefind
// merges it: how many pages each shard has, and holds a word, is then one search away.
const SHARD = "floor_shard";

async function load() {
  const pagefind = await import(form.dataset.pagefind);
  if (merged.length) {
    await pagefind.options({ mergeFilter: { [SHARD]: "1" } });
    const url = (part) => new URL(part, location.href).href;
    await Promise.all(
      merged.map((part, i) => pagefind.mergeIndex(url(part), { mergeFilter: { [SHARD]: String(i + 2) } })),
    );
  }
  return pagefind;
}

// BM25's weight of a word held by `holding` of `pages` pages, as Pagefind computes it per bundle.
const weight = (pages, holding) => Math.log(1 + (pages - holding + 0.5) / (holding + 0.5));

// Pagefind scores a shard's matches with that shard's own word statistics and sorts merged
// results by those scores, so a word a little rarer in one shard would lift all of its
// matches. Each shard's scores are scaled from its words' weights to the whole column's.
async function ranked(pagefind, query) {
  if (!merged.length) return (await pagefind.search(query)).results;
  const shards = ["1", ...merged.map((_, i) => String(i + 2))];
  const pages = (await pagefind.filters())[SHARD] || {};
  const terms = query.replace(/"/g, " ").split(/\s+/).filter(Boolean);
  const holding = await Promise.all(terms.map(async (t) => (await pagefind.search(t)).filters[SHARD] || {}));
  const sum = (counts) => shards.reduce((total, s) => total + (counts[s] || 0), 0);
  const scored = [];
  for (const shard of shards) {
    let own = 0;
    let column = 0;
    for (const counts of holding) {
      own += weight(pages[shard] || 0, counts[shard] || 0);
      column += weight(sum(pages), sum(counts));
    }
    const scale = own > 0 ? column / own : 1;
    const found = await pagefind.search(query, { filters: { [SHARD]: shard } });
    for (const result of found.results) scored.push([result.score * scale, result]);
  }
  return scored.sort((a, b) => b[0] - a[0]).map(([, result]) => result);
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
    ready ??= load(); // once per page (a shard merged twice would list its results twice)
    const results = await ranked(await ready, query);
    const found = await Promise.all(results.slice(0, 20).map((r) => r.data()));
    for (const page of found) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.meta.title || page.url;
      item.append(link, excerpt(page.excerpt));
      list.append(item);
    }
    const n = results.length;
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
