// The part of the Xrm client API the product's web resources call, backed by the sandbox's Dataverse Web API on this
// origin: the real panel and form script run here unchanged, as they run in a model-driven app.

const apiRoot = "/api/data/v9.2/";

/** The entity set Dataverse names a table by (the sandbox's rule: …y → …ies, else +s). */
export function entitySetOf(table) {
  return table.endsWith("y") ? `${table.slice(0, -1)}ies` : `${table}s`;
}

/** Xrm rejects with { errorCode, message }: the platform's error code as a signed number, and its message. */
async function failure(response) {
  try {
    const { error } = await response.json();
    return { errorCode: parseInt(error.code, 16) | 0, message: error.message };
  } catch {
    return { errorCode: 0, message: `The server answered ${response.status}.` };
  }
}

async function loadStrings(path) {
  const text = await (await fetch(path)).text();
  const document = new DOMParser().parseFromString(text, "text/xml");
  return Object.fromEntries([...document.querySelectorAll("data")].map((data) => [data.getAttribute("name"), data.querySelector("value")?.textContent ?? ""]));
}

/**
 * Builds the Xrm object. `ui` is the shell: `alert(text)` and `composeEmail(body)` for what Xrm.Navigation opens.
 * @param {{ token: string, user: string, userId: string }} session
 */
export async function createXrm(session, ui) {
  const strings = await loadStrings("/okos_/idv/strings.1033.resx");

  async function send(method, path, body, headers = {}) {
    const response = await fetch(apiRoot + path, {
      method,
      headers: {
        Authorization: `Bearer ${session.token}`,
        Accept: "application/json",
        "OData-Version": "4.0",
        "OData-MaxVersion": "4.0",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await failure(response);
    }
    return response;
  }

  const annotations = { Prefer: 'odata.include-annotations="*"' };

  const WebApi = {
    async retrieveMultipleRecords(table, options = "") {
      const json = await (await send("GET", entitySetOf(table) + options, undefined, annotations)).json();
      return { entities: json.value };
    },
    async retrieveRecord(table, id, options = "") {
      return (await send("GET", `${entitySetOf(table)}(${clean(id)})${options}`, undefined, annotations)).json();
    },
    async createRecord(table, data) {
      const response = await send("POST", entitySetOf(table), data);
      const id = /\(([^)]+)\)$/.exec(response.headers.get("OData-EntityId") ?? "")?.[1];
      return { entityType: table, id };
    },
    async updateRecord(table, id, data) {
      await send("PATCH", `${entitySetOf(table)}(${clean(id)})`, data, { "If-Match": "*" });
      return { entityType: table, id: clean(id) };
    },
    online: {
      /** Runs an action the way Xrm.WebApi.online.execute does: its name and parameters from the request object. */
      async execute(request) {
        const { operationName } = request.getMetadata();
        const body = Object.fromEntries(Object.entries(request).filter(([key]) => key !== "getMetadata"));
        return send("POST", operationName, body);
      },
    },
  };

  return {
    WebApi,
    Utility: {
      getResourceString: (_webResource, key) => strings[key] ?? key,
      getGlobalContext: () => ({
        userSettings: { languageId: 1033, userName: session.user, userId: `{${session.userId.toUpperCase()}}` },
        getClientUrl: () => location.origin,
      }),
    },
    Navigation: {
      openForm: async (options, parameters = {}) => {
        if (options.entityName === "email") {
          ui.composeEmail(parameters.subject ?? "", parameters.description ?? "");
          return { savedEntityReference: [] };
        }
        location.hash = `#/${entitySetOf(options.entityName)}/${options.entityId ? clean(options.entityId) : "new"}`;
        return { savedEntityReference: [] };
      },
      openAlertDialog: async ({ text }) => ui.alert(text),
    },
  };
}

export function clean(id) {
  return String(id).replace(/[{}]/g, "").toLowerCase();
}

/**
 * A form's context, as Xrm.Page's successor gives it to the form script: the record, its attributes, the panel's web
 * resource control and the form notifications.
 */
export function createFormContext({ table, id, name, lookups, panelWindow, notifications }) {
  const postSave = [];
  const form = {
    data: {
      entity: {
        getEntityName: () => table,
        getId: () => (id ? `{${id.toUpperCase()}}` : ""),
        getPrimaryAttributeValue: () => name,
        addOnPostSave: (handler) => postSave.push(handler),
      },
    },
    getAttribute: (column) => (column in lookups ? { getValue: () => lookups[column] } : null),
    getControl: (control) => (control === "WebResource_okos_idv_panel" ? { getContentWindow: () => panelWindow } : null),
    ui: {
      setFormNotification: (text, level, uniqueId) => {
        notifications.set(uniqueId, { text, level });
        return true;
      },
      clearFormNotification: (uniqueId) => notifications.delete(uniqueId),
    },
  };
  return { form, saved: () => postSave.forEach((handler) => handler({ getFormContext: () => form })) };
}
