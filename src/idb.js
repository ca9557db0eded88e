// IndexedDB for src/storage.rs: one database, "phieu", promises over its
// requests. A write resolves only once its transaction has committed
// (`oncomplete`), so the caller may then delete an older copy elsewhere; it
// rejects with the transaction's DOMException (QuotaExceededError when the
// site's storage is full) when the transaction fails or aborts, and then
// nothing of it is stored. Values are record texts ({"v","data"}), or Blobs
// in "files".
//
// Stores: "outbox" (an entry without its answers: what the start screen and
// the sender's state machine need), "answers" (each entry's answers, written
// with it in one transaction), "drafts", "files" (file contents by sha256),
// "quarantine" (records that could not be read, moved aside), "meta" (where
// the service worker sends the outbox when the app is closed: public/sw.js).
const STORES = ["outbox", "answers", "drafts", "files", "quarantine", "meta"];
let db;
// Other tabs learn of a committed change to the outbox (IndexedDB has no
// `storage` event): the entries' ids, once the change has committed, come
// to them as a "phieu-changed" event with the ids as its detail.
let channel;
const bc = () => (channel ||= self.BroadcastChannel && new BroadcastChannel("phieu"));

function open() {
  return (db ||= new Promise((ok, no) => {
    const r = indexedDB.open("phieu", 2);
    r.onupgradeneeded = () => STORES.forEach((s) => r.result.objectStoreNames.contains(s) || r.result.createObjectStore(s));
    r.onsuccess = () => {
      const d = r.result;
      // Another tab's committed change to the outbox, as an event on the page.
      if (bc()) channel.onmessage = (e) => dispatchEvent(new CustomEvent("phieu-changed", { detail: e.data }));
      d.onversionchange = () => d.close();
      ok(d);
    };
    r.onerror = r.onblocked = () => {
      db = null;
      no(r.error || new DOMException("blocked", "UnknownError"));
    };
  }));
}

// Runs `work(tx)` in one transaction; resolves with `work`'s answer (a
// function, read once the transaction has completed).
function run(stores, mode, work) {
  return open().then(
    (d) =>
      new Promise((ok, no) => {
        const tx = d.transaction(stores, mode);
        tx.oncomplete = () => ok(answer());
        tx.onabort = tx.onerror = () => no(tx.error || new DOMException("aborted", "AbortError"));
        let answer;
        try {
          answer = work(tx);
        } catch (e) {
          tx.onabort = null;
          try {
            tx.abort();
          } catch {}
          no(e);
        }
      }),
  );
}

// ops: [[store, key, value, onlyIfPresent], …] in one transaction; a value
// of undefined deletes.
export function write(ops) {
  const stores = [...new Set(ops.map((o) => o[0]))];
  return run(stores, "readwrite", (tx) => {
    for (const [s, k, v, only] of ops) {
      const os = tx.objectStore(s);
      if (v === undefined) os.delete(k);
      else if (only) os.count(k).onsuccess = (e) => e.target.result && os.put(v, k);
      else os.put(v, k);
    }
    return () => {
      const ids = ops.filter((o) => o[0] == "outbox").map((o) => o[1]);
      if (ids.length && bc()) channel.postMessage(ids);
    };
  });
}

// The value under `key` in each of `stores` (undefined where there is none), in one transaction.
export function get(stores, key) {
  return run(stores, "readonly", (tx) => {
    const rs = stores.map((s) => tx.objectStore(s).get(key));
    return () => rs.map((r) => r.result);
  });
}

// Every key and value of `store`: [keys, values].
export function all(store) {
  return run([store], "readonly", (tx) => {
    const s = tx.objectStore(store);
    const k = s.getAllKeys(),
      v = s.getAll();
    return () => [k.result, v.result];
  });
}


// Asks the browser to wake the service worker when a connection returns,
// even with the app closed (Background Sync, where there is one), and
// tells it where the outbox goes. Nothing happens where there is none.
export function later(endpoint, token) {
  const sw = navigator.serviceWorker;
  return write([["meta", "send", { endpoint, token }]])
    .then(() => sw && sw.ready)
    .then((r) => r && r.sync && r.sync.register("phieu-outbox"))
    .catch(() => {});
}
