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
      void xrm.Navigation.openForm({ entityName: "email" }, { description: link, ...(contact ? { pId: contact, pType: "2" } : {}) });
    },
    locale: xrm.Utility.getGlobalContext().userSettings.languageId === 1033 ? navigator.language || "en-US" : navigator.language,
  };
}
