// Run by scripts/sw-precache.sh on a release build, before the precache list,
// the version and the compressed copies are made: minifies wasm-bindgen's JS
// glue, which Trunk ships as it is (its minifier cannot parse it), and keeps
// dist/index.html true to it.
//
// - terser, safe transforms only, and no top-level name renamed: the exports
//   (`default`, `initSync`, the classes) are what the page's init script and
//   wasm-bindgen use, and stay as they were, which the script checks by
//   importing both versions in Node and comparing what they export.
// - The file gets a new name from the minified content, because phieu serve
//   sends hashed files as immutable for a year and the service worker
//   precaches them from the HTTP cache: Trunk's name comes from the wasm
//   before wasm-bindgen, so another terser or other options would otherwise
//   give new content under an old name, and a phone holding the old file
//   would fail the new integrity check and not start.
// - Every mention of the old name in index.html (the modulepreload link, the
//   inline init script's import) takes the new one, and the link's
//   integrity="sha384-…" is computed again. Then every integrity attribute
//   in the page (the wasm's preload too) is checked against its file.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { minify } from "terser";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/minify-glue.mjs <folder>");
const page = join(dir, "index.html");
let html = readFileSync(page, "utf8");

const fail = (msg) => {
  console.error(`minify-glue: ${msg}`);
  process.exit(1);
};
const digest = (alg, data) => createHash(alg).update(data).digest("base64");
const gz = (data) => gzipSync(data, { level: 9 }).length;

// integrity="sha384-…" on the tag that names each file (quoted or not: Trunk
// minifies the page on release).
const integrities = () =>
  [...html.matchAll(/<(?:link|script)\b[^>]*>/gi)].flatMap(([tag]) => {
    const attr = (name) => tag.match(new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i"))?.slice(1).find((v) => v !== undefined);
    const url = attr("href") ?? attr("src");
    const integrity = attr("integrity");
    return url && integrity ? [{ tag, file: url.split(/[?#]/)[0].replace(/^\.?\//, ""), integrity }] : [];
  });
const check = (label) => {
  for (const { file, integrity } of integrities()) {
    const path = join(dir, file);
    if (!existsSync(path)) fail(`${label}: index.html names ${file}, which is not in ${dir}`);
    const data = readFileSync(path);
    for (const one of integrity.trim().split(/\s+/)) {
      const [, alg, value] = one.match(/^(sha256|sha384|sha512)-(.+)$/) ?? fail(`${label}: integrity "${one}" of ${file}`);
      if (digest(alg, data) !== value) fail(`${label}: the integrity of ${file} in index.html does not match the file`);
    }
  }
};

// What a module exports, by importing it in Node (a copy in a scratch folder).
// null when Node cannot run its top level (the comparison is then skipped).
const scratch = mkdtempSync(join(tmpdir(), "phieu-glue-"));
// The modules the glue imports (wasm-bindgen snippets), beside its copies.
if (existsSync(join(dir, "snippets"))) cpSync(join(dir, "snippets"), join(scratch, "snippets"), { recursive: true });
let n = 0;
async function exportsOf(code) {
  const path = join(scratch, `m${n++}.mjs`);
  writeFileSync(path, code);
  try {
    const ns = await import(pathToFileURL(path).href);
    // Export names and kinds; a function's own `.name` may be shortened
    // (nothing calls the glue's exports by it).
    return Object.keys(ns).sort().map((k) => `${k}:${typeof ns[k]}`).join(" ");
  } catch {
    return null;
  }
}

check("before");
// wasm-bindgen's glue as Trunk names it: the crate's name, a hash, .js.
const glue = readdirSync(dir).filter((f) => /-[0-9a-f]{12,16}\.js$/.test(f) && html.includes(f));
if (glue.length === 0) fail(`no wasm-bindgen JS named in ${page}`);
for (const file of glue) {
  const src = readFileSync(join(dir, file), "utf8");
  const out = await minify(src, {
    // An ES module: its own top-level names are private to it and may be
    // shortened; what it exports keeps its name (checked below), and the
    // wasm's imports are object properties, which mangling leaves alone.
    parse: { module: true },
    compress: { module: true, toplevel: true },
    mangle: { module: true, toplevel: true },
    format: { comments: false },
  });
  const code = out.code + "\n";
  const before = await exportsOf(src);
  if (before !== null) {
    const after = await exportsOf(code);
    if (after !== before) fail(`${file}: the minified glue exports ${after} instead of ${before}`);
  } else {
    console.log(`minify-glue: ${file} does not run in Node; its exports were not compared`);
  }
  const name = file.replace(/-[0-9a-f]{12,16}\.js$/, `-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.js`);
  // The new integrity, in each algorithm the page used for this file.
  for (const { tag, file: f, integrity } of integrities()) {
    if (f !== file) continue;
    const fresh = integrity.trim().split(/\s+/).map((one) => `${one.split("-")[0]}-${digest(one.split("-")[0], code)}`).join(" ");
    html = html.replace(tag, () => tag.replace(integrity, () => fresh));
  }
  html = html.split(file).join(name);
  writeFileSync(join(dir, file), code);
  if (name !== file) renameSync(join(dir, file), join(dir, name));
  console.log(`minify-glue: ${file} -> ${name}: ${Buffer.byteLength(src)} -> ${Buffer.byteLength(code)} B, gzip ${gz(src)} -> ${gz(code)} B`);
}
// wasm-bindgen's snippets (modules of the app's own JS, such as src/idb.js,
// which the glue imports by path): minified in place, their integrity set again.
const snippets = (sub) =>
  readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? snippets(join(sub, e.name)) : e.name.endsWith(".js") ? [join(sub, e.name)] : [],
  );
for (const file of existsSync(join(dir, "snippets")) ? snippets("snippets") : []) {
  const src = readFileSync(join(dir, file), "utf8");
  const code =
    (await minify(src, { parse: { module: true }, compress: { module: true, toplevel: true }, mangle: { module: true, toplevel: true }, format: { comments: false } }))
      .code + "\n";
  for (const { tag, file: f, integrity } of integrities()) {
    if (f !== file) continue;
    const fresh = integrity.trim().split(/\s+/).map((one) => `${one.split("-")[0]}-${digest(one.split("-")[0], code)}`).join(" ");
    html = html.replace(tag, () => tag.replace(integrity, () => fresh));
  }
  writeFileSync(join(dir, file), code);
  console.log(`minify-glue: ${file}: ${Buffer.byteLength(src)} -> ${Buffer.byteLength(code)} B, gzip ${gz(src)} -> ${gz(code)} B`);
}
writeFileSync(page, html);
rmSync(scratch, { recursive: true, force: true });
check("after");
