// Builds the web resources into dist/okos_/idv/: panel.html, panel.css, panel.js, form.js and strings.1033.resx.
import { build } from "esbuild";
import { mkdir, copyFile, writeFile } from "node:fs/promises";

const out = "dist/okos_/idv";
await mkdir(out, { recursive: true });
const common = { bundle: true, minify: true, target: "es2020", legalComments: "none", logLevel: "warning" };
await build({ ...common, entryPoints: ["src/panel-main.ts"], outfile: `${out}/panel.js`, format: "iife" });
// The form script exposes onLoad as okos.idv.form.onLoad, the function name the forms register.
await build({ ...common, entryPoints: ["src/form.ts"], outfile: `${out}/form.js`, format: "iife", globalName: "okos.idv.form" });
await copyFile("src/panel.html", `${out}/panel.html`);
await copyFile("src/panel.css", `${out}/panel.css`);

// The RESX resource is generated from the English table the code uses, so the two cannot differ.
await build({ entryPoints: ["src/strings.ts"], outfile: "dist/strings.mjs", format: "esm", logLevel: "warning" });
const { english } = await import(new URL("./dist/strings.mjs", import.meta.url));
const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const entries = Object.entries(english).map(([key, value]) => `  <data name="${key}" xml:space="preserve">\n    <value>${escape(value)}</value>\n  </data>`).join("\n");
await writeFile(`${out}/strings.1033.resx`, `<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
${entries}
</root>
`);

// The Power Pages package (pac pages download layout): the source under powerpages/ copied to dist/powerpages/, with the
// self-service bundle and the panel's style written into the web template. Liquid must not read them: they sit in a raw block,
// which they must not end themselves.
import { cp, readFile } from "node:fs/promises";
const site = "dist/powerpages";
await cp("powerpages", site, { recursive: true });
const siteBundle = await build({ ...common, entryPoints: ["src/site-main.ts"], write: false, format: "iife" });
const script = siteBundle.outputFiles[0].text;
const style = await readFile("src/panel.css", "utf8");
for (const [name, text] of [["script", script], ["style", style]]) {
  if (/<\/(script|style)|{%\s*endraw/i.test(text)) {
    throw new Error(`The self-service ${name} contains a closing tag or endraw and cannot be inlined into the web template.`);
  }
}
const templateFile = `${site}/web-templates/OneKosmos-Self-service/OneKosmos-Self-service.webtemplate.source.html`;
const template = await readFile(templateFile, "utf8");
await writeFile(templateFile, template.replace("/* okos:style */", () => style).replace("/* okos:script */", () => script));
