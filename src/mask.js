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
  let x;
  const text = (at, n) => dec.decode(new Uint8Array(x.memory.buffer, at, n));
  const url = document.querySelector("meta[name=phieu-mask]").content;
  const got = await WebAssembly.instantiateStreaming(fetch(url), { env: { parse_float: (at, n) => parseFloat(text(at, n)) } });
  x = got.instance.exports;
  ask = (request) => {
    const b = enc.encode(request);
    const at = x.alloc(b.length);
    new Uint8Array(x.memory.buffer, at, b.length).set(b);
    const r = x.call(at, b.length);
    return text(r + 4, new DataView(x.memory.buffer).getUint32(r, true));
  };
}

export function askMask(request) {
  return ask(request);
}
