import { afterEach, describe, expect, it, vi } from "vitest";
import { XrmMockGenerator } from "xrm-mock";
import { onLoad } from "../../src/form";

const contactId = "11111111-1111-1111-1111-111111111111";

/** A contact form whose status API answers with <status>; returns the form and the notifications it shows. */
function contactForm(status: string | Error) {
  XrmMockGenerator.initialise({ entity: { entityName: "contact", id: `{${contactId}}` } });
  const xrm = (globalThis as unknown as { Xrm: Xrm.XrmStatic }).Xrm;
  const execute = vi.fn(async () => {
    if (status instanceof Error) {
      throw status;
    }
    return { ok: true, status: 200, json: async () => ({ Status: status }) };
  });
  (xrm as unknown as { WebApi: unknown }).WebApi = { online: { execute }, retrieveMultipleRecords: vi.fn() };
  (xrm.Utility as unknown as { getResourceString: () => string }).getResourceString = () => "";
  const form = XrmMockGenerator.getFormContext();
  const notify = vi.spyOn(form.ui, "setFormNotification");
  const context = { getFormContext: () => form } as unknown as Xrm.Events.EventContext;
  return { form, notify, context, execute };
}

describe("the form script", () => {
  afterEach(() => vi.restoreAllMocks());

  it("warns when the contact is not verified", async () => {
    const { notify, context } = contactForm("NotStarted");

    await onLoad(context);

    expect(notify).toHaveBeenCalledWith("This contact's identity is not verified.", "WARNING", "okos-identity");
  });

  it("informs while a verification is pending, and says nothing once verified", async () => {
    const pending = contactForm("Pending");
    await onLoad(pending.context);
    expect(pending.notify).toHaveBeenCalledWith("An identity verification is in progress.", "INFO", "okos-identity");

    const verified = contactForm("Verified");
    await onLoad(verified.context);
    expect(verified.notify).not.toHaveBeenCalled();
  });

  it("stays quiet when the status cannot be read (the panel shows why)", async () => {
    const { notify, context } = contactForm(new Error("offline"));

    await expect(onLoad(context)).resolves.toBeUndefined();
    expect(notify).not.toHaveBeenCalled();
  });

  it("asks the status API for the form's contact", async () => {
    const { context, execute } = contactForm("Verified");

    await onLoad(context);

    const request = (execute.mock.calls[0] as unknown as [{ Subject: { contactid: string }; getMetadata(): { operationName: string } }])[0];
    expect(request.getMetadata().operationName).toBe("okos_GetVerificationStatus");
    expect(request.Subject.contactid).toBe(contactId);
  });
});
