// The mask module (mask/, crate phieu-mask): what input masks do, kept out of
// the first download and fetched only when a form with a mask opens (the
// service worker keeps it for offline use). The page names its file, which
// carries a content hash (scripts/sw-precache.sh). Text crosses through the
// module's memory: alloc(n), the request's UTF-8 there, call(at, n) -> the
// reply's address: its length (4 bytes, little-endian), then its bytes.
let ask;
const enc = new TextEncoder();
const dec = new TextDecoder();

export async function loadMask() {
  if (ask) return;
  ask = await maskModule(fetch(document.querySelector("meta[name=phieu-mask]").content));
}

export function askMask(request) {
  return ask(request);
}

// The module from its response, as a function from request to reply
// (tests/mask-diff/module.mjs calls it too, on the built file).
export async function maskModule(response) {
  let x;
  const text = (at, n) => dec.decode(new Uint8Array(x.memory.buffer, at, n));
  // The module reads and prints numbers as the browser does: it has no parser or printer.
  const env = {
    parse_float: (at, n) => parseFloat(text(at, n)),
    number_text: (v, at) => enc.encodeInto(String(v), new Uint8Array(x.memory.buffer, at, 32)).written,
    pow: Math.pow,
  };
  x = (await WebAssembly.instantiateStreaming(response, { env })).instance.exports;
  return (request) => {
    const b = enc.encode(request);
    const at = x.alloc(b.length);
    new Uint8Array(x.memory.buffer, at, b.length).set(b);
    const r = x.call(at, b.length);
    return text(r + 4, new DataView(x.memory.buffer).getUint32(r, true));
  };
}
