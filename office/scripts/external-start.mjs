// Trunk post-build hook of the office screen (office/Trunk.toml). phieu serve's
// Content-Security-Policy allows only the phone page's inline scripts (by
// hash), so Trunk's inline start-up module moves into a file of its own, named
// by its content, and the page loads it by address. Then, as the phone's
// build does, brotli and gzip copies of the built files (scripts/precompress.mjs).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const dir = process.env.TRUNK_STAGING_DIR;
const src = process.env.TRUNK_SOURCE_DIR;
if (!dir || !src) throw new Error("run by trunk as a post_build hook");
const page = join(dir, "index.html");
let html = readFileSync(page, "utf8");
const inline = /<script(\s+type=("module"|module))>([\s\S]*?)<\/script>/g;
let moved = 0;
html = html.replace(inline, (_, _attr, _q, body) => {
  const name = `start-${createHash("sha256").update(body).digest("hex").slice(0, 16)}.js`;
  writeFileSync(join(dir, name), body);
  moved++;
  return `<script type=module src="${process.env.TRUNK_PUBLIC_URL || "/office/"}${name}"></script>`;
});
if (moved !== 1 || /<script(?![^>]*\ssrc=)[^>]*>/.test(html)) {
  throw new Error(`external-start: expected one inline start-up script and none left, moved ${moved}`);
}
writeFileSync(page, html);
// Never ship a damaged module (once seen while other builds shared target/:
// a wasm of zeros, which the browser refuses).
for (const name of readdirSync(dir).filter((n) => n.endsWith(".wasm"))) {
  if (!readFileSync(join(dir, name)).subarray(0, 4).equals(Buffer.from([0, 0x61, 0x73, 0x6d]))) {
    throw new Error(`external-start: ${name} is not WebAssembly; build again`);
  }
}
execFileSync("node", [join(src, "..", "scripts", "precompress.mjs"), dir], { stdio: "inherit" });
