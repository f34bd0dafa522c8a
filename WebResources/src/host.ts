import { Status } from "./contract";
import { FormHost } from "./panel";
import { Strings } from "./strings";

const notificationId = "okos-identity";

/**
 * The form's notification for a contact's state: a hint while in progress, a warning when not verified, none once Verified or
 * when the state is unknown (the panel says why). Shared by the form script on load and the panel on every change, so the two
 * never disagree.
 */
export function showNotification(form: Xrm.FormContext, status: Status | "Unavailable" | undefined, t: Strings): void {
  form.ui.clearFormNotification(notificationId);
  if (status === "Pending") {
    form.ui.setFormNotification(t("pendingNotice"), "INFO", notificationId);
  } else if (status === "NotStarted" || status === "Failed" || status === "Expired") {
    form.ui.setFormNotification(t("notVerifiedNotice"), "WARNING", notificationId);
  }
}

/** The contact a form's record stands for (docs/design.md §3): the contact itself, else the record's contact, else its contact customer. */
export function contactOf(form: Xrm.FormContext): string | undefined {
  const entity = form.data.entity;
  if (entity.getEntityName() === "contact") {
    const id = entity.getId();
    return id ? id.replace(/[{}]/g, "") : undefined;
  }
  for (const column of ["parentcontactid", "customerid"]) {
    const value = (form.getAttribute(column) as Xrm.Attributes.LookupAttribute | null)?.getValue();
    const contact = value?.find((item) => item.entityType === "contact");
    if (contact) {
      return contact.id.replace(/[{}]/g, "");
    }
  }
  return undefined;
}

/** The same test the server makes (Core ContactAddress.IsEmail): one @, a dotted domain, no spaces. */
export function isEmail(text: string): boolean {
  return /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/.test(text.trim());
}

/** The email's body: one line of instructions and the link, as HTML with the link escaped. */
export function emailBody(link: string, t: Strings): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return `<p>${escape(t("emailIntro"))}</p><p><a href="${escape(link)}">${escape(link)}</a></p>`;
}

/** The panel's view of the form it is on. */
export function formHost(xrm: Xrm.XrmStatic, form: Xrm.FormContext, t: Strings): FormHost {
  return {
    statusChanged: (status) => showNotification(form, status, t),
    contactId: () => contactOf(form),
    regarding: () => {
      const entity = form.data.entity;
      return entity.getEntityName() === "contact" || !entity.getId()
        ? undefined
        : { entityType: entity.getEntityName(), id: entity.getId().replace(/[{}]/g, ""), name: entity.getPrimaryAttributeValue() ?? "" };
    },
    sendLink: (link) => {
      const contact = contactOf(form);
      void xrm.Navigation.openForm({ entityName: "email" }, { subject: t("emailSubject"), description: emailBody(link, t), ...(contact ? { pId: contact, pType: "2" } : {}) });
    },
    reach: () => {
      if (form.data.entity.getEntityName() !== "contact") {
        return undefined;
      }
      // A column the form does not show cannot be read here: then the panel cannot tell, and offers everything.
      const email = form.getAttribute("emailaddress1") as Xrm.Attributes.StringAttribute | null;
      const mobile = form.getAttribute("mobilephone") as Xrm.Attributes.StringAttribute | null;
      return email && mobile ? { email: isEmail(email.getValue() ?? ""), phone: (mobile.getValue() ?? "").trim().length > 0 } : undefined;
    },
    locale: xrm.Utility.getGlobalContext().userSettings.languageId === 1033 ? navigator.language || "en-US" : navigator.language,
  };
}
