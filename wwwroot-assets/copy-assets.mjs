// Copies the browser files of the npm packages into the web app's static files (wwwroot/lib, not committed).
import { cpSync, rmSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "KvmPortal.Web", "wwwroot", "lib");
const files = {
  "@novnc/novnc/core": "novnc/core",
  "@novnc/novnc/vendor": "novnc/vendor",
  "@novnc/novnc/LICENSE.txt": "novnc/LICENSE.txt",
  "@xterm/xterm/lib/xterm.mjs": "xterm/xterm.mjs",
  "@xterm/xterm/css/xterm.css": "xterm/xterm.css",
  "@xterm/xterm/LICENSE": "xterm/LICENSE",
  "@xterm/addon-fit/lib/addon-fit.mjs": "xterm/addon-fit.mjs",
};

rmSync(target, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const destination = join(target, to);
  mkdirSync(dirname(destination), { recursive: true });
  cpSync(join(here, "node_modules", from), destination, { recursive: true });
}
console.log(`wwwroot-assets: copied ${Object.keys(files).length} entries to ${target}`);
