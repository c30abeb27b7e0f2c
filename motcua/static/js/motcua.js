// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
});

// Counter intake: the applicant found from an earlier dossier. The lookup only swaps a suggestion
// (#applicant-suggestion); the fields are filled here, and never one the officer is in or has typed in.
(() => {
  const KEYS = ["applicant_name", "applicant_birth_date", "applicant_phone", "applicant_email", "applicant_address"];
  const fieldOf = (form, key) => form.querySelector(`[name="${key}"]:not([type=radio])`);
  const setKind = (form, kind) => {
    const radio = kind && form.querySelector(`input[name="applicant_kind"][value="${kind}"]`);
    if (radio) radio.checked = true;
  };
  // With htmx the lookup runs as the number is typed: its no-script button leaves the Tab order,
  // so Tab from the ID number goes straight to the name.
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-lookup-fallback]").forEach((b) => { b.tabIndex = -1; });
  });
  document.addEventListener("input", (event) => {
    const el = event.target;
    if (el.name && KEYS.includes(el.name)) el.dataset.touched = "1";
  });
  const fill = (button, { force }) => {
    const form = button.form;
    if (!form) return;
    let touched = false;
    for (const key of KEYS) {
      const el = fieldOf(form, key);
      const value = button.dataset[key] || "";
      if (!el) continue;
      if (el.dataset.touched) touched = true;
      if (force) {
        el.value = value;
        delete el.dataset.touched;
      } else if (!el.value && !el.dataset.touched && el !== document.activeElement) {
        el.value = value;
      }
    }
    if (force || !touched) setKind(form, button.dataset.applicant_kind);
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-applicant-fill]");
    if (!button) return;
    event.preventDefault();
    fill(button, { force: true });
    const name = button.form && fieldOf(button.form, "applicant_name");
    if (name) name.focus();
  });
  document.addEventListener("htmx:afterSettle", () => {
    const button = document.querySelector("#applicant-suggestion [data-applicant-fill]");
    if (button && !button.dataset.applied) {
      button.dataset.applied = "1";
      fill(button, { force: false });
    }
  });
})();
