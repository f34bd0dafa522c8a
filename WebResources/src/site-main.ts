import { PanelController } from "./panel";
import { SiteIdentityApi, siteToken } from "./site-api";
import { resourceStrings, selfServiceStrings } from "./strings";

/**
 * The Power Pages self-service section: the panel's model and rendering, spoken to the signed-in person, on the site's
 * Web API. The web template renders the mount point with the signed-in contact's id (Liquid: user.id); signed out, it has
 * none and the section says to sign in.
 */
const bootstrapClasses: Array<[string, string]> = [
  [".okos-button", "btn btn-primary"],
  [".okos-link", "btn btn-link"],
  [".okos-error", "alert alert-danger"],
  [".okos-notice", "alert alert-info"],
  [".okos-badge.okos-success", "badge text-bg-success"],
  [".okos-badge.okos-informative", "badge text-bg-info"],
  [".okos-badge.okos-danger", "badge text-bg-danger"],
  [".okos-badge.okos-warning", "badge text-bg-warning"],
  [".okos-badge.okos-neutral", "badge text-bg-secondary"],
];

/** Puts the site theme's Bootstrap classes on the panel's elements, beside the panel's own. */
export function bootstrapLook(root: HTMLElement): void {
  for (const [selector, classes] of bootstrapClasses) {
    root.querySelectorAll(selector).forEach((node) => node.classList.add(...classes.split(" ")));
  }
}

export function mountSelfService(root: HTMLElement, fetcher = window.fetch.bind(window)): PanelController {
  const strings = selfServiceStrings(resourceStrings());
  const contact = root.dataset.contactId?.trim();
  const panel = new PanelController(root, new SiteIdentityApi(fetcher, siteToken(fetcher), strings), {
    audience: "person",
    contactId: () => (contact && /^[{]?[0-9a-f-]{36}[}]?$/i.test(contact) ? contact : undefined),
    regarding: () => undefined,
    sendLink: () => undefined,
    locale: navigator.language || "en-US",
    drawn: bootstrapLook,
  }, strings);
  window.addEventListener("pagehide", () => panel.close());
  void panel.open();
  return panel;
}

const mount = document.getElementById("okos-self-service");
if (mount) {
  mountSelfService(mount);
}
