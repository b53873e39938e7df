// Apply a filter as soon as a choice changes; the 筛选 button still works without JavaScript.
const form = document.getElementById("duty-filter");
if (form) {
  form.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => form.requestSubmit());
  });
}
