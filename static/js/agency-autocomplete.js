// Agency suggestions for text inputs with data-autocomplete-url, shown through the input's <datalist>.
// Without JavaScript the inputs are plain text fields: the server resolves whatever name is typed.
const DELAY_MS = 250;

function optionFor(agency, query) {
  const option = document.createElement("option");
  option.value = agency.full_name;
  const names = [agency.name, ...agency.aliases].join("、");
  // Browsers show only options whose value or label contains the typed text; pinyin initials
  // (fgj) appear in neither, so such a match names the query in its label to stay visible.
  const typed = query.toLowerCase();
  const shown = agency.full_name.toLowerCase().includes(typed) || names.toLowerCase().includes(typed);
  // The region tells 区财政局 of this district from the city's 市财政局 at a glance.
  const label = `${names}　${agency.region}`;
  option.label = shown ? label : `${label}（拼音 ${query}）`;
  return option;
}

function enhance(input) {
  const list = input.list;
  if (!list) return;
  let timer = null;
  let controller = null;
  let lastQuery = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query || query === lastQuery) return;
    timer = setTimeout(async () => {
      lastQuery = query;
      if (controller) controller.abort();
      controller = new AbortController();
      const url = new URL(input.dataset.autocompleteUrl, window.location.href);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...data.results.map((agency) => optionFor(agency, query)));
      } catch (error) {
        if (error.name !== "AbortError") console.warn("单位联想失败", error);
      }
    }, DELAY_MS);
  });
}

document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
