// Keep what is typed into a <form data-keep-typed="KEY"> in this browser (localStorage["typed:" + KEY]) until it is
// saved, and offer it back on the next page with that form: a session that expired, a closed tab or a lost
// connection then costs nothing. Without localStorage (private mode, storage refused) it does nothing.
(() => {
  const PREFIX = "typed:";
  const KEPT_TYPES = new Set(["textarea", "text", "number", "select-one", "radio"]);
  const NEVER_KEPT = new Set(["csrfmiddlewaretoken", "version"]);

  let storage = null;
  try {
    storage = window.localStorage;
    const probe = `${PREFIX}probe`;
    storage.setItem(probe, "1");
    storage.removeItem(probe);
  } catch (error) {
    return; // no storage: the forms work as before
  }

  // The form's fields worth keeping: text, numbers, choices; never files, hidden fields or the CSRF token.
  const fields = (form) =>
    Array.from(form.elements).filter((field) => field.name && !NEVER_KEPT.has(field.name) && KEPT_TYPES.has(field.type));

  // {name: value}; a group of radio buttons gives the value of the one that is checked ("" if none).
  const valuesOf = (form) => {
    const values = {};
    fields(form).forEach((field) => {
      if (field.type === "radio") {
        if (!(field.name in values)) values[field.name] = "";
        if (field.checked) values[field.name] = field.value;
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  };

  // The server strips the ends of what it saves and the browser writes line ends as \n: neither is a difference.
  const same = (a, b) => String(a).replace(/\r\n?/g, "\n").trim() === String(b).replace(/\r\n?/g, "\n").trim();

  const read = (key) => {
    try {
      const entry = JSON.parse(storage.getItem(key));
      return entry && typeof entry.values === "object" && entry.values ? entry : null;
    } catch (error) {
      return null;
    }
  };
  const write = (key, values) => {
    try {
      storage.setItem(key, JSON.stringify({ values, saved: new Date().toISOString() }));
    } catch (error) {
      // storage full or refused: nothing to do
    }
  };
  const remove = (key) => {
    try {
      storage.removeItem(key);
    } catch (error) {
      // nothing to do
    }
  };

  const fill = (form, values) => {
    fields(form).forEach((field) => {
      if (!(field.name in values)) return;
      const value = String(values[field.name] ?? "");
      if (field.type === "radio") {
        const checked = field.value === value;
        if (field.checked === checked) return;
        field.checked = checked;
      } else {
        if (field.value === value) return;
        field.value = value;
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  };

  const when = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "此前";
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getMonth() + 1}月${date.getDate()}日 ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  };

  const offer = (form, key, entry) => {
    const notice = document.createElement("div");
    notice.className = "typed-notice";
    notice.setAttribute("role", "status");
    const text = document.createElement("p");
    const time = document.createElement("time");
    time.dateTime = entry.saved || "";
    time.textContent = when(entry.saved);
    text.append("此表有 ", time, " 输入但未保存的内容。");
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "恢复未保存的内容";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = "丢弃";
    const actions = document.createElement("p");
    actions.className = "typed-notice-actions";
    actions.append(restore, " ", discard);
    notice.append(text, actions);
    restore.addEventListener("click", () => {
      fill(form, entry.values);
      write(key, valuesOf(form));
      notice.remove();
    });
    discard.addEventListener("click", () => {
      remove(key);
      notice.remove();
    });
    form.before(notice);
  };

  document.querySelectorAll("form[data-keep-typed]").forEach((form) => {
    if (!form.dataset.keepTyped) return;
    const key = PREFIX + form.dataset.keepTyped;
    const entry = read(key);
    if (entry) {
      const current = valuesOf(form);
      const differs = Object.entries(entry.values).some(
        ([name, value]) => name in current && String(value ?? "").trim() !== "" && !same(value, current[name]),
      );
      if (differs) offer(form, key, entry);
      else remove(key); // saved since: nothing to offer
    }
    const keep = (event) => {
      if (event.target.name && fields(form).includes(event.target)) write(key, valuesOf(form));
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
  });
})();
