// The sandbox's model-driven-style shell: lists, forms and a business process bar over the Dataverse Web API, hosting the
// product's real panel (okos_/idv/panel.html) and form script (okos_/idv/form.js) through the Xrm shim.
import { clean, createFormContext, createXrm } from "./xrm.js";

const stages = ["Qualify", "Develop", "Propose", "Close"];
const main = document.getElementById("main");
const dialog = document.getElementById("dialog");

const ui = {
  alert(text, title = "Business Process Error") {
    document.getElementById("dialog-title").textContent = title;
    document.getElementById("dialog-body").replaceChildren(element("p", { role: "alert" }, text));
    dialog.showModal();
  },
  /** The email the panel prepared (its body is HTML, as Dataverse's email description is): shown as text, never run. */
  composeEmail(subject, body) {
    document.getElementById("dialog-title").textContent = "New email";
    const parsed = new DOMParser().parseFromString(body, "text/html");
    const link = [...parsed.querySelectorAll("a[href]")].map((anchor) => anchor.getAttribute("href")).find((href) => /^https?:\/\//.test(href));
    const paragraphs = [...parsed.querySelectorAll("p")].map((paragraph) => element("p", {}, paragraph.textContent ?? ""));
    const content = [
      element("p", {}, "The sandbox sends no email; this is what the person would receive."),
      element("p", { class: "email-subject" }, `Subject: ${subject}`),
      element("div", { class: "email-body" }, ...paragraphs),
    ];
    if (link) {
      content.push(element("p", {}, element("a", { href: link, target: "_blank", rel: "noopener", id: "email-link" }, "Open the link as the person")));
    }
    document.getElementById("dialog-body").replaceChildren(...content);
    dialog.showModal();
  },
};

// Who the browser acts as (chosen in the top bar, kept for this tab): every call carries that person's token.
const session = await (await fetch(`/sandbox/session?as=${encodeURIComponent(sessionStorage.getItem("okos-as") ?? "administrator")}`)).json();
const Xrm = await createXrm(session, ui);
window.Xrm = Xrm;
document.getElementById("user").replaceChildren(element("label", {}, "Acting as ",
  element("select", { id: "acting-as", onchange: (event) => { sessionStorage.setItem("okos-as", event.target.value); location.reload(); } },
    ...session.people.map((person) => element("option", { value: person.key, selected: person.key === session.key }, person.name)))));

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) {
      node.addEventListener(name.slice(2), value);
    } else if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function field(label, control) {
  return element("label", { class: "field" }, element("span", {}, label), control);
}

function money(value) {
  return value === undefined || value === null ? "" : new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(value);
}

/** Which route() call is the newest: a page whose data arrives after a newer route started must not render over it. */
let routeTurn = 0;

/** Shows a page, unless a newer route started while its data was on the way; returns whether it did. */
function show(turn, ...nodes) {
  if (turn !== routeTurn) {
    return false;
  }
  main.replaceChildren(...nodes);
  return true;
}

async function guarded(action) {
  try {
    await action();
  } catch (error) {
    ui.alert(error?.message ?? String(error));
  }
}

let busy = false;

/** Runs a command of the command bar once at a time: its buttons are disabled until it ends, so a double click on Save makes one record. */
async function command(action) {
  if (busy) {
    return;
  }
  busy = true;
  const buttons = [...document.querySelectorAll(".commandbar button:not(:disabled)")];
  buttons.forEach((button) => (button.disabled = true));
  try {
    await guarded(action);
  } finally {
    busy = false;
    buttons.forEach((button) => (button.disabled = false));
  }
}

let formScript;
/** The form script, loaded once as the form's library (a classic script: it defines okos.idv.form). */
function loadFormScript() {
  formScript ??= new Promise((resolve, reject) => {
    const script = element("script", { src: "/okos_/idv/form.js" });
    script.onload = resolve;
    script.onerror = () => reject(new Error("The form script okos_/idv/form.js did not load."));
    document.head.append(script);
  });
  return formScript;
}

/** Hosts the panel web resource and runs the form's OnLoad with a form context for the record. */
async function mountIdentity(container, record) {
  const notifications = element("div", { class: "notifications", "aria-live": "polite" });
  const shown = new Map();
  const render = () => notifications.replaceChildren(...[...shown.values()].map(({ text, level }) => element("p", { class: level }, text)));
  const frame = element("iframe", { class: "webresource", id: "WebResource_okos_idv_panel", title: "Identity verification", src: "/okos_/idv/panel.html" });
  const panelWindow = new Promise((resolve) => frame.addEventListener("load", () => resolve(frame.contentWindow), { once: true }));
  container.closest(".form").before(notifications);
  container.append(frame);
  const { form, saved } = createFormContext({
    ...record,
    panelWindow,
    notifications: {
      set: (id, value) => { shown.set(id, value); render(); },
      delete: (id) => { shown.delete(id); render(); },
    },
  });
  await loadFormScript();
  await window.okos.idv.form.onLoad({ getFormContext: () => form });
  return saved;
}

async function contactsList() {
  const turn = routeTurn;
  const { entities } = await Xrm.WebApi.retrieveMultipleRecords("contact", "?$select=fullname,emailaddress1,mobilephone,createdon&$orderby=createdon desc");
  show(turn,
    element("h1", {}, "Active Contacts"),
    element("div", { class: "commandbar" }, element("button", { class: "primary", onclick: () => (location.hash = "#/contacts/new") }, "New contact")),
    entities.length === 0
      ? element("p", {}, "No contacts yet. Create one: with okos_VerifyOnContactCreate on, its identity verification starts at once.")
      : element("table", { class: "grid" },
        element("thead", {}, element("tr", {}, ...["Full name", "Email", "Mobile", "Created on"].map((name) => element("th", {}, name)))),
        element("tbody", {}, ...entities.map((row) => element("tr", {},
          element("td", {}, element("a", { href: `#/contacts/${row.contactid}` }, row.fullname ?? "(no name)")),
          element("td", {}, row.emailaddress1 ?? ""),
          element("td", {}, row.mobilephone ?? ""),
          element("td", {}, new Date(row.createdon).toLocaleString()))))),
  );
}

async function contactForm(id) {
  const turn = routeTurn;
  const row = id ? await Xrm.WebApi.retrieveRecord("contact", id, "?$select=firstname,lastname,emailaddress1,mobilephone,fullname") : {};
  const inputs = {
    firstname: element("input", { name: "firstname", value: row.firstname ?? "", autocomplete: "off" }),
    lastname: element("input", { name: "lastname", value: row.lastname ?? "", required: true, autocomplete: "off" }),
    emailaddress1: element("input", { name: "emailaddress1", type: "email", value: row.emailaddress1 ?? "", autocomplete: "off" }),
    mobilephone: element("input", { name: "mobilephone", value: row.mobilephone ?? "", autocomplete: "off" }),
  };
  let saved = () => {};
  const save = () => command(async () => {
    const data = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim() || null]));
    if (!data.lastname) {
      throw new Error("Last Name is required.");
    }
    if (id) {
      await Xrm.WebApi.updateRecord("contact", id, data);
      saved();
    } else {
      const created = await Xrm.WebApi.createRecord("contact", data);
      location.hash = `#/contacts/${created.id}`;
    }
  });
  const identity = element("div", { class: "card" }, element("h2", {}, "Identity"));
  const shown = show(turn,
    element("h1", {}, id ? row.fullname ?? "Contact" : "New Contact"),
    element("div", { class: "commandbar" },
      element("button", { class: "primary", onclick: save }, "Save"),
      id ? element("button", { onclick: () => route() }, "Refresh") : undefined,
      element("button", { onclick: () => (location.hash = "#/contacts") }, "Back to contacts")),
    element("div", { class: "form" },
      element("form", { class: "card", onsubmit: (event) => { event.preventDefault(); save(); } },
        element("h2", {}, "Contact"),
        field("First Name", inputs.firstname), field("Last Name", inputs.lastname), field("Email", inputs.emailaddress1), field("Mobile Phone", inputs.mobilephone)),
      id ? identity : element("p", { class: "card" }, "Save the contact to see its identity verification.")),
  );
  if (id && shown) {
    saved = await mountIdentity(identity, { table: "contact", id, name: row.fullname ?? "", lookups: {} });
  }
}

async function opportunitiesList() {
  const turn = routeTurn;
  const { entities } = await Xrm.WebApi.retrieveMultipleRecords("opportunity", "?$select=name,estimatedvalue,salesstage,statecode,_parentcontactid_value,createdon&$orderby=createdon desc");
  show(turn,
    element("h1", {}, "Opportunities"),
    element("div", { class: "commandbar" }, element("button", { class: "primary", onclick: () => (location.hash = "#/opportunities/new") }, "New opportunity")),
    entities.length === 0
      ? element("p", {}, "No opportunities yet.")
      : element("table", { class: "grid" },
        element("thead", {}, element("tr", {}, ...["Topic", "Contact", "Est. revenue", "Stage", "Status"].map((name) => element("th", {}, name)))),
        element("tbody", {}, ...entities.map((row) => element("tr", {},
          element("td", {}, element("a", { href: `#/opportunities/${row.opportunityid}` }, row.name ?? "(no topic)")),
          element("td", {}, row["_parentcontactid_value@OData.Community.Display.V1.FormattedValue"] ?? ""),
          element("td", {}, money(row.estimatedvalue)),
          element("td", {}, stages[row.salesstage ?? 0]),
          element("td", {}, row.statecode === 1 ? "Won" : row.statecode === 2 ? "Lost" : "Open"))))),
  );
}

async function opportunityForm(id) {
  const turn = routeTurn;
  const row = id
    ? await Xrm.WebApi.retrieveRecord("opportunity", id, "?$select=name,estimatedvalue,salesstage,statecode,_parentcontactid_value")
    : { salesstage: 0, statecode: 0 };
  const { entities: contacts } = await Xrm.WebApi.retrieveMultipleRecords("contact", "?$select=fullname&$orderby=fullname asc");
  const contactId = row._parentcontactid_value;
  const inputs = {
    name: element("input", { name: "name", value: row.name ?? "", required: true, autocomplete: "off" }),
    contact: element("select", { name: "parentcontactid" }, element("option", { value: "" }, "(none)"),
      ...contacts.map((contact) => element("option", { value: contact.contactid, selected: contact.contactid === contactId }, contact.fullname ?? contact.contactid))),
    estimatedvalue: element("input", { name: "estimatedvalue", type: "number", min: "0", step: "1000", value: row.estimatedvalue ?? "" }),
  };
  const open = row.statecode === 0;
  const stage = row.salesstage ?? 0;
  let saved = () => {};
  const data = () => ({
    name: inputs.name.value.trim(),
    estimatedvalue: inputs.estimatedvalue.value === "" ? null : Number(inputs.estimatedvalue.value),
    "parentcontactid@odata.bind": inputs.contact.value ? `/contacts(${inputs.contact.value})` : null,
  });
  const save = () => command(async () => {
    if (!inputs.name.value.trim()) {
      throw new Error("Topic is required.");
    }
    if (id) {
      await Xrm.WebApi.updateRecord("opportunity", id, data());
      saved();
      await route();
    } else {
      const created = await Xrm.WebApi.createRecord("opportunity", { ...data(), salesstage: 0, stepname: stages[0] });
      location.hash = `#/opportunities/${created.id}`;
    }
  });
  const nextStage = () => command(async () => {
    await Xrm.WebApi.updateRecord("opportunity", id, { salesstage: stage + 1, stepname: stages[stage + 1] });
    await route();
  });
  const win = () => command(async () => {
    await Xrm.WebApi.online.execute({
      Status: 3,
      OpportunityClose: { subject: `Won: ${row.name}`, "opportunityid@odata.bind": `/opportunities(${id})` },
      getMetadata: () => ({ boundParameter: null, operationType: 0, operationName: "WinOpportunity", parameterTypes: {} }),
    });
    await route();
  });
  const identity = element("div", { class: "card" }, element("h2", {}, "Identity"));
  const shown = show(turn,
    element("h1", {}, id ? row.name : "New Opportunity", open ? undefined : element("span", { class: "status-won" }, row.statecode === 1 ? " · Won" : " · Lost")),
    element("div", { class: "commandbar" },
      element("button", { class: "primary", onclick: save, disabled: !open }, "Save"),
      id ? element("button", { onclick: nextStage, disabled: !open || stage >= stages.length - 1 }, "Next stage") : undefined,
      id ? element("button", { onclick: win, disabled: !open }, "Close as won") : undefined,
      id ? element("button", { onclick: () => route() }, "Refresh") : undefined,
      element("button", { onclick: () => (location.hash = "#/opportunities") }, "Back to opportunities")),
    element("div", { class: "stages", role: "list", "aria-label": "Sales process" },
      // A closed opportunity has been through every stage: the bar shows them all done.
      ...stages.map((name, index) => {
        const reached = open ? stage : stages.length;
        return element("span", { role: "listitem", class: index < reached ? "done" : index === reached ? "active" : "", "aria-current": index === reached ? "step" : undefined }, name);
      })),
    element("div", { class: "form" },
      element("form", { class: "card", onsubmit: (event) => { event.preventDefault(); save(); } },
        element("h2", {}, "Opportunity"),
        field("Topic", inputs.name), field("Contact", inputs.contact), field("Est. Revenue", inputs.estimatedvalue)),
      id ? identity : element("p", { class: "card" }, "Save the opportunity to see its contact's identity.")),
  );
  if (id && shown) {
    const name = row["_parentcontactid_value@OData.Community.Display.V1.FormattedValue"] ?? "";
    const lookups = { parentcontactid: contactId ? [{ id: `{${contactId.toUpperCase()}}`, entityType: "contact", name }] : null };
    saved = await mountIdentity(identity, { table: "opportunity", id, name: row.name ?? "", lookups });
  }
}

async function activity(focus) {
  const turn = routeTurn;
  const groups = await (await fetch("/sandbox/activity")).json();
  const filter = element("input", { type: "search", placeholder: "Filter (text, correlation id)", "aria-label": "Filter", value: focus ?? "" });
  const list = element("div", { class: "activity" });
  const render = () => {
    const needle = filter.value.trim().toLowerCase();
    list.replaceChildren(...groups
      .filter((group) => !needle || group.correlation.toLowerCase().includes(needle) || group.lines.some((line) => line.text.toLowerCase().includes(needle)))
      .map((group) => element("details", { open: group.correlation === focus || undefined, id: `activity-${group.correlation}` },
        element("summary", {}, element("strong", {}, group.title), ` · ${new Date(group.startedAt).toLocaleTimeString()} · correlation ${group.correlation}`),
        element("ol", {}, ...group.lines.map((line) => element("li", { class: line.elsewhere ? "elsewhere" : "" },
          `${new Date(line.at).toLocaleTimeString()} `,
          element("span", { class: `badge ${line.source}` }, line.source),
          line.text,
          line.elsewhere ? element("a", { href: `#/activity/${line.correlation}` }, ` (from ${line.correlation.slice(0, 8)}…)`) : undefined))))));
  };
  filter.addEventListener("input", render);
  show(turn,
    element("h1", {}, "Activity log"),
    element("p", {}, "Each request with what it caused: plug-in traces, 1Kosmos calls (ids masked), what the person did, relay messages, custom API outcomes and gate decisions. A line about a verification also shows under the request that started it."),
    element("div", { class: "commandbar" }, filter, element("button", { onclick: () => route() }, "Refresh")),
    list,
  );
  render();
}

/** What reached contacts by email (a first LiveID request goes there alone): the sandbox plays the person reading it. */
async function inbox() {
  const turn = routeTurn;
  const emails = await (await fetch("/sandbox/inbox")).json();
  show(turn,
    element("h1", {}, "Contacts' inbox"),
    element("p", {}, "Emails Dataverse sent to contacts. A contact's first LiveID request is sent only here, never shown to the agent: open its link as the person would, on their phone."),
    emails.length === 0 ? element("p", {}, "Nothing was sent yet.")
      : element("ol", { class: "activity" }, ...emails.map((email) => element("li", {},
        element("strong", {}, email.subject), ` · to ${email.to}`,
        element("p", {}, ...email.body.split(/(https?:\/\/\S+)/).map((part) => /^https?:\/\//.test(part) ? element("a", { href: part, target: "_blank", rel: "noopener" }, "Open the link") : part))))),
  );
}

async function route() {
  routeTurn++;
  const [area = "contacts", id] = location.hash.replace(/^#\/?/, "").split("/");
  for (const link of document.querySelectorAll(".sitemap a")) {
    if (link.dataset.area === area) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  await guarded(async () => {
    switch (area) {
      case "opportunities":
        return id ? opportunityForm(id === "new" ? undefined : clean(id)) : opportunitiesList();
      case "activity":
        return activity(id);
      case "inbox":
        return inbox();
      default:
        return id ? contactForm(id === "new" ? undefined : clean(id)) : contactsList();
    }
  });
}

window.addEventListener("hashchange", route);
await route();
