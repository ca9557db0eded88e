// The offline app shell. VERSION and PRECACHE are prepended at build time.
//
// - The shell (index.html, the hashed js/wasm/css, config.json, forms/) is
//   precached on install and served from the cache first: the app opens with
//   no network from the second visit on.
// - Forms and config are refreshed from the network when it answers, so an
//   author's change reaches phones that are online.
// - So are the lists forms name (forms/lists/, `choicesByUrl`). Which list a
//   draft offers is not this cache's business: the app keeps each form
//   version with its lists (src/storage.rs, Kept), so a list refreshed here
//   never changes a half-filled report.
// - The API is never cached: a submission must reach the server or fail.
// - Drafts, the outbox and files live in IndexedDB, which no version of this
//   worker deletes: an update never loses queued or unfinished reports.
// - Background Sync: when a connection returns with the app closed, the
//   outbox is sent from here (see the end of this file).
const SHELL = "phieu-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      // Hashed files never change: the copy the page just downloaded will do.
      // The rest must come fresh from the server, past any HTTP cache.
      .then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: /-[0-9a-f]{12,16}(_bg)?\.\w+$/.test(u) ? "default" : "reload" }))))
  );
  // No skipWaiting here: a new version waits for the person's consent (the
  // app's "Update" button) or the next start, and never replaces the app mid-form.
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("phieu-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function refreshable(url) {
  return url.pathname.endsWith("/config.json") || url.pathname.includes("/forms/");
}

async function networkFirst(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.includes("/api/")) return;
  // The office screen (office/) is another app: never answered with this one.
  if (url.href.startsWith(self.registration.scope + "office/")) return;
  if (request.mode === "navigate") {
    // Any page of the app is the same shell; ?form=… is read by the app.
    event.respondWith(caches.match("./").then((cached) => cached || fetch(request)));
    return;
  }
  // A form's pictures (image, imagepicker) are kept as they are fetched, so
  // the form shows them offline too.
  if (refreshable(url) || request.destination === "image") {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});

// ---- Background Sync ----
//
// The app registers "phieu-outbox" when it could not send (offline, or the
// connection failed) and leaves in IndexedDB's "meta" where to send. When
// the browser fires `sync`, this sends each waiting report as the app does
// (files the server lacks first, then the report, same id) and, on a 2xx
// only, marks it sent in the same record the app reads. Anything else
// leaves the entry exactly as it was: the app's own rules (backoff, refused
// reports, corrections) take over when it is next opened. A failure makes
// the browser try the sync again later. One sender at a time: the app's
// Web Lock; and none while the app is on screen, which sends by itself.
self.addEventListener("sync", (event) => {
  if (event.tag === "phieu-outbox") event.waitUntil(self.navigator.locks.request("phieu-outbox", sendOutbox));
});

function idb() {
  return new Promise((ok, no) => {
    const r = indexedDB.open("phieu");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
}

function ask(db, store, mode, work) {
  return new Promise((ok, no) => {
    const tx = db.transaction(store, mode);
    const r = work(tx.objectStore(store));
    tx.oncomplete = () => ok(r && r.result);
    tx.onabort = tx.onerror = () => no(tx.error);
  });
}

// The file items in `v` at any depth, each hash once.
function filesOf(v, out = new Map()) {
  if (Array.isArray(v)) v.forEach((x) => filesOf(x, out));
  else if (v && typeof v == "object") {
    if (typeof v.sha256 == "string") out.set(v.sha256, v);
    else Object.values(v).forEach((x) => filesOf(x, out));
  }
  return out;
}

async function sendOutbox() {
  // The app, on screen, sends by itself.
  if ((await self.clients.matchAll({ type: "window" })).some((c) => c.visibilityState == "visible")) return;
  const db = await idb();
  if (!db.objectStoreNames.contains("meta")) return;
  const meta = await ask(db, "meta", "readonly", (s) => s.get("send"));
  if (!meta) return;
  const base = new URL(meta.endpoint);
  const headers = {};
  // The token only where the app would send it: https, or this machine.
  if (meta.token && (base.protocol == "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(base.hostname)))
    headers.Authorization = "Bearer " + meta.token;
  const ids = await ask(db, "outbox", "readonly", (s) => s.getAllKeys());
  for (const id of ids) {
    const text = await ask(db, "outbox", "readonly", (s) => s.get(id));
    const record = JSON.parse(text || "null");
    const entry = record && record.data;
    if (!entry || entry.state != "waiting" || entry.target || entry.notBefore > Date.now()) continue;
    const answers = JSON.parse(await ask(db, "answers", "readonly", (s) => s.get(id))).data;
    const files = [...filesOf(answers).keys()];
    if (files.length) {
      const r = await fetch(new URL("files/missing", base), {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ sha256: files }),
        redirect: "manual",
        signal: AbortSignal.timeout(30000),
      });
      if (!r.ok) throw new Error("files/missing: " + r.status);
      for (const sha of (await r.json()).missing) {
        const file = await ask(db, "files", "readonly", (s) => s.get(sha));
        if (!file) throw new Error("a file is no longer on this phone"); // the app says which
        const put = await fetch(new URL("files/" + sha, base), {
          method: "PUT",
          headers: { ...headers, "Content-Type": file.type || "application/octet-stream" },
          body: file,
          redirect: "manual",
          // As the app: 30 s, and a second more for each 8 kB.
          signal: AbortSignal.timeout(30000 + file.size / 8.192),
        });
        if (!put.ok) throw new Error("PUT file: " + put.status);
      }
    }
    const sent = await fetch(base, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "Idempotency-Key": entry.submission.id },
      body: JSON.stringify({ ...entry.submission, answers }),
      redirect: "manual",
      signal: AbortSignal.timeout(30000),
    });
    if (!sent.ok || sent.type == "opaqueredirect") throw new Error("report: " + sent.status);
    // Stored as the app stores a delivered entry; read back now, it may have changed meanwhile.
    await new Promise((ok, no) => {
      const tx = db.transaction("outbox", "readwrite");
      const s = tx.objectStore("outbox");
      s.get(id).onsuccess = (e) => {
        const now = JSON.parse(e.target.result || "null");
        if (!now || now.data.state != "waiting") return;
        Object.assign(now.data, { state: "sent", sentAt: Date.now(), lastError: null });
        delete now.data.problem;
        s.put(JSON.stringify(now), id);
      };
      tx.oncomplete = ok;
      tx.onabort = tx.onerror = () => no(tx.error);
    });
    new BroadcastChannel("phieu").postMessage([id]);
  }
}
