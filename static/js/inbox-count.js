// The header's 待办 badge: how many messages are unread, asked for after the page has loaded, so that no page
// pays a query for it and kept pages stay the same for everyone.
(() => {
  const link = document.getElementById("inbox-link");
  const badge = link && link.querySelector(".inbox-count");
  if (!badge || !window.fetch) return;
  fetch(link.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.unread) return;
      badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
      badge.hidden = false;
      link.setAttribute("aria-label", `待办，${data.unread} 条未读`);
    })
    .catch(() => {});
})();
