// A small static server on loopback for bench/compare.mjs: gzip when the
// browser accepts it (each file compressed once, gzip -9, with its brotli
// size noted too), ETags, and cache headers as a real deployment would send
// them: pages, form definitions and the service worker are revalidated
// (no-cache), everything else may be kept for an hour.
//
// It can also play a slow phone connection for every request that reaches
// it, the service worker's included: `shape({ kbps, rttMs })` makes each
// response wait one round trip before its first byte, and all responses share
// one link of that many kbit/s.
//
//   node bench/serve.mjs     serves phieu (dist/) and the SurveyJS page, prints both addresses
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import crypto from "node:crypto";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json", ".png": "image/png", ".svg": "image/svg+xml",
  ".ico": "image/x-icon", ".woff2": "font/woff2",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".webmanifest", ".svg"]);
const REVALIDATE = new Set([".html", ".json", ".webmanifest"]);

const variants = new Map(); // file -> { mtime, raw, gz, br, etag }
function load(file) {
  const stat = fs.statSync(file);
  let v = variants.get(file);
  if (!v || v.mtime !== stat.mtimeMs) {
    const raw = fs.readFileSync(file);
    const compress = COMPRESSIBLE.has(path.extname(file));
    v = {
      mtime: stat.mtimeMs, raw,
      gz: compress ? zlib.gzipSync(raw, { level: 9 }) : null,
      br: compress ? zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }) : null,
      etag: '"' + crypto.createHash("sha1").update(raw).digest("hex").slice(0, 16) + '"',
    };
    variants.set(file, v);
  }
  return v;
}

/** Sizes of one file: raw, gzip -9 and brotli 11 (compressed = raw for images). */
export function sizes(file) {
  const v = load(file);
  return { raw: v.raw.length, gz: (v.gz ?? v.raw).length, br: (v.br ?? v.raw).length };
}

/**
 * Serves `mounts` ({ "/": dir, "/forms/": dir, ... }; the longest prefix wins)
 * on 127.0.0.1 and a free port. Returns { url, log, shape, close }; `log`
 * gets one { path, file, status, sent, time, done } per request
 * (`time` when it arrived, `done` when its last byte was written).
 */
export async function serve(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const log = [];
  let link = null; // { bytesPerMs, rttMs, free }

  const resolve = (urlPath) => {
    const prefix = prefixes.find((p) => urlPath.startsWith(p));
    if (!prefix) return null;
    const base = path.resolve(mounts[prefix]);
    let file = path.resolve(base, "." + decodeURIComponent(urlPath.slice(prefix.length - 1)));
    if (file !== base && !file.startsWith(base + path.sep)) return null;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    return fs.existsSync(file) ? file : null;
  };

  // Writes `body` through the shared slow link, one slice at a time.
  async function send(res, body) {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const l = link; // the link this response started on
    if (!l) return res.end(body);
    await sleep(l.rttMs);
    for (let i = 0; i < body.length; i += 1024) {
      const slice = body.subarray(i, i + 1024);
      l.free = Math.max(Date.now(), l.free) + slice.length / l.bytesPerMs;
      await sleep(l.free - Date.now());
      if (res.destroyed) return;
      res.write(slice);
    }
    res.end();
  }

  const server = http.createServer(async (req, res) => {
    const urlPath = new URL(req.url, "http://x").pathname;
    const file = resolve(urlPath);
    const entry = { path: urlPath, file, status: 404, sent: 0, time: Date.now() };
    log.push(entry);
    if (!file) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return send(res, Buffer.from("not found"));
    }
    const v = load(file);
    const ext = path.extname(file);
    const headers = {
      "Content-Type": TYPES[ext] || "application/octet-stream",
      "Cache-Control": REVALIDATE.has(ext) || path.basename(file) === "sw.js" ? "no-cache" : "max-age=3600",
      ETag: v.etag,
      Vary: "Accept-Encoding",
    };
    if (req.headers["if-none-match"] === v.etag) {
      entry.status = 304;
      res.writeHead(304, headers);
      return send(res, Buffer.alloc(0));
    }
    let body = v.raw;
    if (v.gz && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      body = v.gz;
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    entry.status = 200;
    entry.sent = body.length;
    res.writeHead(200, headers);
    if (req.method === "HEAD") return res.end();
    await send(res, body);
    entry.done = Date.now();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    /** A slow link for every later response ({ kbps, rttMs }), or none (null). */
    shape(conditions) {
      link = conditions && { bytesPerMs: (conditions.kbps * 1000) / 8 / 1000, rttMs: conditions.rttMs, free: 0 };
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, "..");
  const forms = path.join(root, "forms");
  const app = await serve({ "/": path.join(root, "dist") });
  const peer = await serve({ "/": path.join(root, "bench/surveyjs"), "/forms/": forms, "/node_modules/": path.join(root, "node_modules") });
  console.log(`phieu:    ${app.url}/?form=forms%2Fphan-anh-du-luan.json&draft=new`);
  console.log(`SurveyJS: ${peer.url}/?form=forms%2Fphan-anh-du-luan.json`);
}

/** The peer: SurveyJS's page (bench/surveyjs) with its packages from
 * node_modules, reading the forms in `formsDir` as phieu does. */
export function servePeer(root, formsDir) {
  return serve({
    "/": path.join(root, "bench/surveyjs"),
    "/forms/": formsDir,
    "/node_modules/survey-core/": path.join(root, "node_modules/survey-core"),
    "/node_modules/survey-js-ui/": path.join(root, "node_modules/survey-js-ui"),
  });
}
