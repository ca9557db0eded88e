// Run by scripts/sw-precache.sh, the last step of a build: writes a brotli (quality 11)
// and a gzip (level 9) copy beside the files of the build that never change.
// phieu serve sends them to browsers that accept them: brotli at its best
// takes a fifth off what compression on the fly gives, paid once per build
// instead of once per phone.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/precompress.mjs <folder>");
// Only what the build itself wrote: the hashed wasm, JS and CSS, the page and
// the service worker. Forms and config.json are an author's to edit in place,
// and a stale compressed copy would hide the edit.
const worth = /(-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)|^index\.html|^sw\.js)$/;
for (const name of readdirSync(dir).filter((n) => worth.test(n))) {
  const data = readFileSync(join(dir, name));
  writeFileSync(join(dir, name + ".br"), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  writeFileSync(join(dir, name + ".gz"), gzipSync(data, { level: 9 }));
}
