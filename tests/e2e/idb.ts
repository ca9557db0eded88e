// What the app keeps in IndexedDB (src/idb.js: database "phieu"), read from the page.
import type { Page } from "@playwright/test";

/** The data of every record in one store (envelopes opened), in key order; [] before the app made the database. */
export async function records(page: Page, store: string): Promise<any[]> {
  return page.evaluate(
    (store) =>
      new Promise<any[]>((ok, no) => {
        const r = indexedDB.open("phieu");
        // Never create the database here: the app's own open would then find no stores.
        r.onupgradeneeded = () => r.transaction!.abort();
        r.onerror = () => ok([]);
        r.onsuccess = () => {
          const db = r.result;
          const q = db.transaction(store).objectStore(store).getAll();
          q.onsuccess = () => {
            db.close();
            ok(q.result.map((t: string) => JSON.parse(t).data));
          };
          q.onerror = () => no(q.error);
        };
      }),
    store,
  );
}
