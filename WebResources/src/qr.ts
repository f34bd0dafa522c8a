import qrcode from "qrcode-generator";

/** The dark modules of a QR code for text, row by row: the panel draws them itself, so no image is stored or fetched. */
export function qrModules(text: string): boolean[][] {
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => code.isDark(row, column)));
}

/** One SVG path for the dark modules, with a quiet zone of four modules: numbers only, nothing from the text. */
export function qrPath(modules: boolean[][]): { d: string; size: number } {
  const quiet = 4;
  const parts: string[] = [];
  modules.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) {
      parts.push(`M${x + quiet} ${y + quiet}h1v1h-1z`);
    }
  }));
  return { d: parts.join(""), size: modules.length + quiet * 2 };
}
