import { IdentityApi } from "./api";
import { contactOf, showNotification } from "./host";
import { resourceStrings } from "./strings";

const panelControl = "WebResource_okos_idv_panel";

/** Form OnLoad (register with "Pass execution context"): a notification when the contact is not verified, and the panel wired to the form. */
export async function onLoad(context: Xrm.Events.EventContext): Promise<void> {
  const form = context.getFormContext();
  await connectPanel(form);
  await notify(form);
  form.data.entity.addOnPostSave(() => void refresh(form));
}

async function refresh(form: Xrm.FormContext): Promise<void> {
  await connectPanel(form);
  await notify(form);
}

async function connectPanel(form: Xrm.FormContext): Promise<void> {
  const control = form.getControl(panelControl) as Xrm.Controls.IframeControl | null;
  const window = await control?.getContentWindow?.();
  (window as (Window & { setClientApiContext?: (xrm: Xrm.XrmStatic, form: Xrm.FormContext) => void }) | undefined)?.setClientApiContext?.(Xrm, form);
}

async function notify(form: Xrm.FormContext): Promise<void> {
  const contact = contactOf(form);
  const t = resourceStrings((key) => Xrm.Utility.getResourceString("okos_/idv/strings.1033.resx", key));
  if (!contact) {
    showNotification(form, undefined, t);
    return;
  }
  try {
    showNotification(form, (await new IdentityApi(Xrm.WebApi).status(contact)).Status, t);
  } catch {
    // The panel shows the error with its reason; the notification is only a hint.
    showNotification(form, "Unavailable", t);
  }
}
