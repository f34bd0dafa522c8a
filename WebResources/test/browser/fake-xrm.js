// Replays recorded Web API answers (test/fixtures) as Xrm would return them, and connects the panel like form.js does.
const name = new URLSearchParams(location.search).get("fixture");
const fixture = await (await fetch(`/test/fixtures/${name}.json`)).json();
window.calls = [];

const answer = (body) => ({ ok: true, status: 200, json: async () => body });
const refusal = (error) => ({ errorCode: parseInt(error.error.code, 16) | 0, message: error.error.message });

const xrm = {
  WebApi: {
    online: {
      execute: async (request) => {
        const operation = request.getMetadata().operationName;
        window.calls.push(operation);
        if (operation === "okos_GetVerificationStatus") {
          // A lost connection: Xrm rejects with the browser's own words.
          if (fixture.statusUnreachable) {
            throw new TypeError("Failed to fetch");
          }
          return answer(fixture.status);
        }
        if (fixture.startError) {
          throw refusal(fixture.startError);
        }
        return answer(fixture.answers?.[operation] ?? { Status: "Pending", Reused: false });
      },
    },
    retrieveMultipleRecords: async () => ({ entities: fixture.attempts }),
  },
  Utility: { getResourceString: () => "", getGlobalContext: () => ({ userSettings: { languageId: 1033 } }) },
  Navigation: { openForm: async (options, parameters) => window.calls.push(`openForm:${options.entityName}:${parameters.subject}:${parameters.description}`) },
};
const form = {
  data: { entity: { getEntityName: () => "contact", getId: () => `{${fixture.status.ContactId}}`, getPrimaryAttributeValue: () => "" } },
  // The contact's own columns, as a contact form shows them (a fixture may say otherwise).
  getAttribute: (name) => {
    const contact = fixture.contact ?? { emailaddress1: "person@example.com", mobilephone: "" };
    return name in contact ? { getValue: () => contact[name] } : null;
  },
  ui: {
    setFormNotification: (message, level) => window.calls.push(`notification:${level}:${message}`),
    clearFormNotification: () => window.calls.push("notification:cleared"),
  },
};

const frame = document.getElementById("panel");
const connect = () => frame.contentWindow.setClientApiContext(xrm, form);
if (frame.contentWindow?.setClientApiContext) {
  connect();
} else {
  frame.addEventListener("load", connect, { once: true });
}
