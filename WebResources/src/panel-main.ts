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

window.setClientApiContext = (xrm, form) => {
  window.okosPanel?.close();
  const strings = resourceStrings((key) => xrm.Utility.getResourceString("okos_/idv/strings.1033.resx", key));
  const panel = new PanelController(document.getElementById("okos-panel")!, new IdentityApi(xrm.WebApi), formHost(xrm, form, strings), strings);
  window.okosPanel = panel;
  window.addEventListener("unload", () => panel.close());
  void panel.open();
};
