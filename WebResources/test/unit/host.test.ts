import { beforeEach, describe, expect, it } from "vitest";
import { XrmMockGenerator } from "xrm-mock";
import { contactOf, emailBody, formHost, isEmail, showNotification } from "../../src/host";
import { resourceStrings } from "../../src/strings";

describe("whose identity a form's record stands for", () => {
  beforeEach(() => {
    XrmMockGenerator.initialise();
  });

  it("a contact form: the contact itself", () => {
    XrmMockGenerator.initialise({ entity: { entityName: "contact", id: "{11111111-1111-1111-1111-111111111111}" } });

    expect(contactOf(XrmMockGenerator.getFormContext())).toBe("11111111-1111-1111-1111-111111111111");
  });

  it("an opportunity: its contact, else a contact customer, else nobody", () => {
    XrmMockGenerator.initialise({ entity: { entityName: "opportunity", id: "{22222222-2222-2222-2222-222222222222}" } });
    const contact = XrmMockGenerator.Attribute.createLookup("parentcontactid", []);
    const customer = XrmMockGenerator.Attribute.createLookup("customerid", { entityType: "contact", id: "{33333333-3333-3333-3333-333333333333}", name: "Jane" });
    const form = XrmMockGenerator.getFormContext();

    expect(contactOf(form)).toBe("33333333-3333-3333-3333-333333333333");
    contact.setValue([{ entityType: "contact", id: "{44444444-4444-4444-4444-444444444444}", name: "John" }]);
    expect(contactOf(form)).toBe("44444444-4444-4444-4444-444444444444");
    contact.setValue([]);
    customer.setValue([{ entityType: "account", id: "{55555555-5555-5555-5555-555555555555}", name: "Contoso" }]);
    expect(contactOf(form)).toBeUndefined();
  });
});

describe("the form's notification", () => {
  it("hints while pending, warns when not verified, and goes once Verified or when the state is unknown", () => {
    XrmMockGenerator.initialise({ entity: { entityName: "contact", id: "{11111111-1111-1111-1111-111111111111}" } });
    const form = XrmMockGenerator.getFormContext();
    const shown: string[] = [];
    form.ui.setFormNotification = (message: string, level: Xrm.FormNotificationLevel) => { shown.push(`${level}: ${message}`); return true; };
    form.ui.clearFormNotification = () => { shown.push("cleared"); return true; };
    const t = resourceStrings();

    showNotification(form, "Pending", t);
    showNotification(form, "Verified", t);
    showNotification(form, "Failed", t);
    showNotification(form, "Unavailable", t);

    expect(shown).toEqual([
      "cleared", "INFO: An identity verification is in progress.",
      "cleared",
      "cleared", "WARNING: This contact's identity is not verified.",
      "cleared",
    ]);
  });
});

describe("reaching the contact", () => {
  it("tests an email address as the server does", () => {
    expect(["jane@example.com", "not-an-email", "jane@localhost", "a b@example.com"].map(isEmail)).toEqual([true, false, false, false]);
  });

  it("writes the email as a subject, one line of instructions and the link, the link escaped", () => {
    const body = emailBody("https://acme.1kosmos.net/idv/s1?a=1&b=\"2\"", resourceStrings());

    expect(body).toBe('<p>To finish, please verify your identity: open the link below on your phone, then scan your ID document and take a selfie. It takes about two minutes.</p><p><a href="https://acme.1kosmos.net/idv/s1?a=1&amp;b=&quot;2&quot;">https://acme.1kosmos.net/idv/s1?a=1&amp;b=&quot;2&quot;</a></p>');
  });

  it("on a contact's form, reads whether the contact has a usable email or a mobile; without those columns, or elsewhere, says it cannot tell", () => {
    XrmMockGenerator.initialise({ entity: { entityName: "contact", id: "{11111111-1111-1111-1111-111111111111}" } });
    XrmMockGenerator.Attribute.createString("emailaddress1", "not-an-email");
    XrmMockGenerator.Attribute.createString("mobilephone", "+44 7700 900123");

    expect(formHost(Xrm, XrmMockGenerator.getFormContext(), resourceStrings()).reach!()).toEqual({ email: false, phone: true });
    XrmMockGenerator.initialise({ entity: { entityName: "contact", id: "{11111111-1111-1111-1111-111111111111}" } });
    XrmMockGenerator.Attribute.createString("emailaddress1", "jane@example.com");
    expect(formHost(Xrm, XrmMockGenerator.getFormContext(), resourceStrings()).reach!()).toBeUndefined();
    XrmMockGenerator.initialise({ entity: { entityName: "opportunity", id: "{22222222-2222-2222-2222-222222222222}" } });
    expect(formHost(Xrm, XrmMockGenerator.getFormContext(), resourceStrings()).reach!()).toBeUndefined();
  });
});
