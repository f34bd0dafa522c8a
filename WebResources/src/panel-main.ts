import { IdentityApi } from "./api";
import { formHost } from "./host";
import { PanelController } from "./panel";
import { resourceStrings } from "./strings";

declare global {
  interface Window {
    /** Called by the form script with the form's own context (the supported way to reach it from a web resource). */
    setClientApiContext?: (xrm: Xrm.XrmStatic, form: Xrm.FormContext) => void;
    okosPanel?: PanelController;
  }
}

/**
 * Dark or light as the form around the panel is: the nearest painted background of the frame's host element decides. A host
 * that cannot be read (another origin) leaves the operating system's preference.
 */
export function hostTheme(): "dark" | "light" {
  try {
    for (let node = window.frameElement as HTMLElement | null; node; node = node.parentElement) {
      const color = node.ownerDocument.defaultView?.getComputedStyle(node).backgroundColor ?? "";
      const [r, g, b, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
      if (r !== undefined && a > 0) {
        return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? "dark" : "light";
      }
    }
  } catch {
    // A host of another origin: fall through to the operating system's preference.
  }
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

document.documentElement.dataset.theme = hostTheme();

window.setClientApiContext = (xrm, form) => {
  window.okosPanel?.close();
  const strings = resourceStrings((key) => xrm.Utility.getResourceString("okos_/idv/strings.1033.resx", key));
  const panel = new PanelController(document.getElementById("okos-panel")!, new IdentityApi(xrm.WebApi), formHost(xrm, form, strings), strings);
  window.okosPanel = panel;
  window.addEventListener("unload", () => panel.close());
  void panel.open();
};
