// The phone's mask module (mask/, built no_std for wasm) against phieu's
// native engine: every request core/tests/mask_diff.rs made of the engine
// (target/tmp/mask-wire.jsonl, with the native answer) must get the same
// answer from the module, through src/mask.js as the app calls it.
//   cargo test -p phieu-core --test mask_diff
//   node tests/mask-diff/module.mjs [MODULE.wasm]   (default: the newest dist/phieu-mask-*.wasm)
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { relative } from "node:path";
import { maskModule } from "../../src/mask.js";

const root = new URL("../../", import.meta.url).pathname;
const built = (existsSync(root + "dist") ? readdirSync(root + "dist") : [])
  .filter((f) => /^phieu-mask-.*\.wasm$/.test(f))
  .map((f) => root + "dist/" + f)
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const file = process.argv[2] || built[0];
if (!file) throw new Error("no mask module: run scripts/build.sh, or name one");
const wasm = readFileSync(file);
const ask = await maskModule(new Response(wasm, { headers: { "content-type": "application/wasm" } }));
const cases = readFileSync(root + "target/tmp/mask-wire.jsonl", "utf8").trim().split("\n").map((l) => JSON.parse(l));
const failed = cases.filter(([request, reply]) => ask(request) !== reply);
console.log(`mask module ${relative(root, file)} (${wasm.length} B): ${cases.length - failed.length} of ${cases.length} answers as the native engine`);
for (const [request, reply] of failed.slice(0, 10)) console.log(`  ${JSON.stringify(request)}\n    native: ${JSON.stringify(reply)}\n    module: ${JSON.stringify(ask(request))}`);
if (failed.length || cases.length < 3000) process.exit(1);
