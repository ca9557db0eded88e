// The offline app shell. VERSION and PRECACHE are prepended at build time.
//
// - The shell (index.html, the hashed js/wasm/css, config.json, forms/) is
//   precached on install and served from the cache first: the app opens with
//   no network from the second visit on.
// - Forms and config are refreshed from the network when it answers, so an
//   author's change reaches phones that are online.
// - The API is never cached: a submission must reach the server or fail.
// - Drafts and the outbox live in localStorage, which no version of this
//   worker touches: an update never loses queued or unfinished reports.
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
  if (refreshable(url)) {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});
