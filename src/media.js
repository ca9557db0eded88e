// Photos, files and signatures for src/form/media.rs: made small, hashed and
// stored in IndexedDB's "files" (by sha256) before the answer names them, so
// an answer never names a file that is not kept. Decoding, resizing and
// hashing are the browser's, off the input's event turn.
import { write, get, all } from "./idb.js";

// Kept as a File whose lastModified is when it was kept: the sweep leaves
// young files alone (another tab's draft may be about to name one).
function keepBlob(blob, name) {
  return blob.arrayBuffer().then((bytes) =>
    crypto.subtle.digest("SHA-256", bytes).then((d) => {
      const sha = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
      const file = new File([blob], name, { type: blob.type });
      return write([["files", sha, file]]).then(() => [name, blob.type || "application/octet-stream", blob.size, sha]);
    }),
  );
}

// A photo as JPEG (quality 0.8), its longest side at most `max` pixels,
// turned upright; re-encoding also drops its metadata (the place it was
// taken). Another image is kept as it is unless it is too big; anything
// the browser cannot decode (HEIC on most phones) is kept as it is.
function shrink(file, max) {
  const kind = file.type;
  if (!/^image\//.test(kind) || /gif|svg/.test(kind)) return Promise.resolve(null);
  return createImageBitmap(file, { imageOrientation: "from-image" }).then(
    (full) => {
      const scale = Math.min(1, max / Math.max(full.width, full.height));
      if (kind != "image/jpeg" && scale == 1) return null;
      const w = Math.round(full.width * scale),
        h = Math.round(full.height * scale);
      const c = self.OffscreenCanvas ? new OffscreenCanvas(w, h) : Object.assign(document.createElement("canvas"), { width: w, height: h });
      const g = c.getContext("2d");
      g.fillStyle = "#fff"; // JPEG has no transparency
      g.fillRect(0, 0, w, h);
      g.imageSmoothingQuality = "high";
      g.drawImage(full, 0, 0, w, h);
      full.close();
      const type = "image/jpeg";
      return c.convertToBlob ? c.convertToBlob({ type, quality: 0.8 }) : new Promise((ok) => c.toBlob(ok, type, 0.8));
    },
    () => null,
  );
}

// A chosen file, made ready and kept: [name, type, size, sha256]. Rejects
// with a DOMException: "TooLarge" (over `most` bytes, nothing kept),
// "QuotaExceededError" (storage full, nothing kept), or another.
function keep(file, max, most) {
  return shrink(file, max).then((small) => {
    const blob = small || file;
    const name = small ? file.name.replace(/\.[^.]*$/, "") + ".jpg" : file.name || "file";
    if (most && blob.size > most) throw new DOMException(String(blob.size), "TooLarge");
    return keepBlob(blob, name);
  });
}

// An address for a kept file ("" if it is not on this phone); give it back
// with URL.revokeObjectURL.
function url(sha) {
  return get(["files"], sha).then(([f]) => (f ? URL.createObjectURL(f) : ""));
}

// Keeps the files chosen in `input`, one after another, at most `room` of
// them, then empties it (the same photo may be chosen again):
// [[item, …], the last error's name or ""].
export async function keepAll(input, max, most, room) {
  const chosen = [...input.files];
  input.value = "";
  const kept = [];
  let error = "";
  for (const f of chosen) {
    if (kept.length >= room) {
      error = "TooMany";
      break;
    }
    try {
      kept.push(await keep(f, max, most));
    } catch (e) {
      error = e.name;
    }
  }
  return [kept, error];
}

// Shows a file question's files in `ul`: [sha256, label, type] each, a
// thumbnail for a picture this phone has, and a remove button (data-sha)
// saying `remove`. Rows of files still shown are kept, not drawn again.
export function show(ul, items, remove) {
  const old = ul.rows || new Map(),
    rows = new Map();
  ul.replaceChildren(
    ...items.map(([sha, label, type]) => {
      let li = old.get(sha);
      if (!li) {
        li = document.createElement("li");
        const img = li.appendChild(document.createElement("img"));
        img.alt = "";
        img.hidden = true;
        if (/^image\//.test(type)) url(sha).then((u) => u && Object.assign(img, { src: u, hidden: false }));
        li.appendChild(document.createElement("span"));
        const b = li.appendChild(document.createElement("button"));
        b.type = "button";
        b.className = "link";
        b.dataset.sha = sha;
      }
      li.children[1].textContent = label;
      li.children[2].textContent = remove;
      rows.set(sha, li);
      return li;
    }),
  );
  old.forEach((li, sha) => rows.has(sha) || URL.revokeObjectURL(li.firstChild.src));
  ul.rows = rows;
}

// Deletes the kept files that no record names, except the answers of the
// reports in `sent` (the server has their files), once they were kept more
// than `age` ms ago. A record names a file by its sha256, so every record's
// text is searched for one, readable or not; if a store cannot be read,
// nothing is deleted.
export function sweep(sent, age) {
  const skip = new Set(sent),
    keep = new Set();
  const scan = (t) => typeof t == "string" && (t.match(/[0-9a-f]{64}/g) || []).forEach((h) => keep.add(h));
  return Promise.all(["answers", "drafts", "quarantine", "files"].map(all)).then(([a, d, q, [keys, files]]) => {
    a[0].forEach((id, i) => skip.has(id) || scan(a[1][i]));
    d[1].forEach(scan);
    q[1].forEach(scan);
    for (let i = 0; i < localStorage.length; i++) scan(localStorage.getItem(localStorage.key(i)));
    const before = Date.now() - age;
    const ops = keys.filter((k, i) => !keep.has(k) && !(files[i].lastModified >= before)).map((k) => ["files", k]);
    return ops.length ? write(ops).then(() => ops.length) : 0;
  });
}

// A signature pad on `canvas`, showing the kept signature `sha` if there is
// one. After each stroke the drawing is kept as a PNG and the canvas gets a
// "change" event, with the item in `canvas.kept` ([name, type, size,
// sha256]) or the error's name in `canvas.failed`.
export function pad(canvas, color, sha) {
  const g = canvas.getContext("2d");
  const clear = () => {
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  canvas.clear = clear;
  if (sha)
    url(sha).then((u) => {
      if (!u) return;
      const img = new Image();
      img.onload = () => (g.drawImage(img, 0, 0, canvas.width, canvas.height), URL.revokeObjectURL(u));
      img.src = u;
    });
  let last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  canvas.onpointerdown = (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    g.strokeStyle = g.fillStyle = color;
    g.lineWidth = 2.5;
    g.lineCap = g.lineJoin = "round";
    g.beginPath();
    g.arc(last[0], last[1], 1.25, 0, 7);
    g.fill();
  };
  canvas.onpointermove = (e) => {
    if (!last) return;
    const p = at(e);
    g.beginPath();
    g.moveTo(last[0], last[1]);
    g.lineTo(p[0], p[1]);
    g.stroke();
    last = p;
  };
  canvas.onpointerup = canvas.onpointercancel = () => {
    if (!last) return;
    last = null;
    // One after another: a later stroke's picture holds the earlier ones.
    canvas.saving = (canvas.saving || Promise.resolve())
      .then(() => new Promise((ok) => canvas.toBlob(ok, "image/png")))
      .then((b) => keepBlob(b, "signature.png"))
      .then(
        (item) => ((canvas.kept = item), (canvas.failed = "")),
        (e) => ((canvas.kept = null), (canvas.failed = e.name)),
      )
      .then(() => canvas.dispatchEvent(new Event("change")));
  };
}

// The file items (objects with a sha256) in `v` at any depth.
const hashes = (v, out = new Set()) => (
  v && typeof v == "object" && (typeof v.sha256 == "string" ? out.add(v.sha256) : Object.values(v).forEach((x) => hashes(x, out))), out
);

// An export's text with the contents of the files its reports name, as
// data: URLs under "files", so that no photo stays behind when reports
// leave as a file. Files this phone no longer has are left out.
export async function withFiles(text) {
  const data = JSON.parse(text),
    files = {};
  for (const sha of hashes(data.entries)) {
    const f = await file(sha);
    if (f) files[sha] = await new Promise((ok) => Object.assign(new FileReader(), { onload: (e) => ok(e.target.result) }).readAsDataURL(f));
  }
  return Object.keys(files).length ? JSON.stringify(Object.assign(data, { files }), null, 1) : text;
}

// Keeps the files of an export made by withFiles: each under the hash of
// its bytes, so a changed file cannot pass for the one a report names.
export async function importFiles(text) {
  for (const [sha, url] of Object.entries(JSON.parse(text).files || {})) {
    const type = url.slice(5, url.indexOf(";"));
    const bytes = Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
    await keepBlob(new Blob([bytes], { type }), sha);
  }
}

// A kept file's contents, or undefined.
export function file(sha) {
  return get(["files"], sha).then(([f]) => f);
}

// A ranking's rows (src/form/ranking.rs), drawn here: far smaller than as
// views in the wasm. `list` is the ranking's list, the widget's one child
// at first: the rest is made here once (with selectToRank, a caption and
// the list not ranked yet above it; a note while nothing is ranked; the
// live region). `ranked` and `unranked` are [option, label, disabled],
// in order; `words` the buttons', captions' and announcements' words; `answered`
// whether the places are numbered (an untouched ranking is unanswered);
// `full` whether no more can be ranked. Every move, by a button, a key or a
// drag, is a "change" event on the widget whose data-move says from which
// row to which place: "r2 r0" (ranked row 2 to place 0), "u1 r99999" (into
// the ranking, last), "r1 u" (back out of it). The answer changes, this is
// called again, and the option moved keeps the focus and its place is said.
export function rank(list, ranked, unranked, words, answered, full) {
  const root = list.parentElement,
    [up, down, remove, place, of, out, notRanked, ranking, none] = words,
    select = root.dataset.select;
  const el = (tag, props, ...kids) => {
    const e = Object.assign(document.createElement(tag), props);
    e.append(...kids);
    return e;
  };
  if (!root.dataset.on) {
    root.dataset.on = "1";
    list.dataset.list = "r";
    const u = el("ul", { hidden: !select });
    u.dataset.list = "u";
    root.prepend(el("p", { className: "rank-caption", hidden: !select }), u, el("p", { className: "rank-caption", hidden: !select }));
    root.append(el("p", { className: "rank-empty" }), el("p", { className: "visually-hidden" }));
    root.lastChild.setAttribute("role", "status");
    root.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-to]");
      if (b) move(root, b.closest("li"), b.dataset.to);
    });
    root.addEventListener("keydown", (e) => {
      const li = e.target,
        k = li.matches("li[data-slot^=r]") && +li.dataset.slot.slice(1);
      if (k === false) return;
      const to = { ArrowUp: k && "r" + (k - 1), ArrowDown: li.nextElementSibling && "r" + (k + 1), Enter: select && "u", " ": select && "u" }[e.key];
      if (to) {
        e.preventDefault();
        move(root, li, to);
      }
    });
    root.addEventListener("pointerdown", (e) => e.target.matches(".grip") && drag(e, root));
  }
  const row = ([x, label, off], k, list) => {
    const button = (text, to, name, no) => {
      const b = el("button", { type: "button", disabled: off || no }, text);
      b.dataset.to = to;
      if (name) b.setAttribute("aria-label", name + ": " + label);
      return b;
    };
    const grip = el("span", { className: "grip" }, "⠿");
    grip.setAttribute("aria-hidden", "true");
    const li = el("li", {}, grip);
    Object.assign(li.dataset, { slot: list + k, x });
    if (off) li.dataset.off = "";
    if (list == "u") {
      li.append(Object.assign(button(label, "r99999", null, full), { className: "rank-add" }));
      return li;
    }
    li.tabIndex = 0;
    const no = el("span", { className: "rank-no" }, answered ? String(k + 1) : "–");
    no.setAttribute("aria-hidden", "true");
    li.append(no, el("span", { className: "rank-text" }, label), button(up, "r" + (k - 1), up, !k), button(down, "r" + (k + 1), down, k == ranked.length - 1));
    if (select) li.append(button(remove, "u", remove, false));
    return li;
  };
  const [c1, u, c2, r, empty] = root.children;
  c1.textContent = notRanked;
  c2.textContent = ranking;
  empty.textContent = none;
  u.setAttribute("aria-label", notRanked);
  r.setAttribute("aria-label", ranking);
  u.replaceChildren(...unranked.map((x, k) => row(x, k, "u")));
  r.replaceChildren(...ranked.map((x, k) => row(x, k, "r")));
  empty.hidden = ranked.length > 0 || !select;
  const at = root.dataset.moved && root.querySelector("li[data-x='" + root.dataset.moved + "']");
  delete root.dataset.moved;
  if (at) {
    const k = +at.dataset.slot.slice(1),
      ranking = at.dataset.slot[0] == "r";
    (ranking ? at : at.querySelector("button")).focus();
    root.querySelector("[role=status]").textContent = ranking
      ? ranked[k][1] + ": " + place + " " + (k + 1) + " " + of + " " + ranked.length
      : unranked[k][1] + ": " + out;
  }
}

function move(root, li, to) {
  if (li.hasAttribute("data-off") || li.closest("fieldset:disabled")) return;
  root.dataset.moved = li.dataset.x;
  root.dataset.move = li.dataset.slot + " " + to;
  root.dispatchEvent(new Event("change"));
  // A move refused leaves no focus to restore later.
  setTimeout(() => delete root.dataset.moved);
}

// A row dragged by its handle, by a finger or a mouse: it follows the
// pointer, and where it is let go is its new place: in the nearest list,
// after the rows whose middle is above the pointer.
function drag(ev, root) {
  const grip = ev.target,
    row = grip.closest("li");
  if (row.hasAttribute("data-off") || row.closest("fieldset:disabled")) return;
  ev.preventDefault();
  grip.setPointerCapture(ev.pointerId);
  const y0 = ev.clientY;
  let to = null;
  const place = (y) => {
    let best = null;
    for (const list of root.querySelectorAll("ul:not([hidden])")) {
      const r = list.getBoundingClientRect();
      const d = y < r.top ? r.top - y : y > r.bottom ? y - r.bottom : 0;
      if (!best || d < best.d) best = { d, list };
    }
    if (best.list.dataset.list == "u") return "u";
    let k = 0;
    for (const li of best.list.children) {
      const b = li.getBoundingClientRect();
      if (li != row && y > b.top + b.height / 2) k++;
    }
    return "r" + k;
  };
  const follow = (e) => {
    row.style.transform = "translateY(" + (e.clientY - y0) + "px)";
    to = place(e.clientY);
  };
  const end = (e) => {
    for (const t of ["pointermove", "pointerup", "pointercancel"]) grip.removeEventListener(t, t == "pointermove" ? follow : end);
    row.classList.remove("dragging");
    row.style.transform = "";
    if (e.type == "pointerup" && to && !(to == "u" && row.dataset.slot[0] == "u")) move(root, row, to);
  };
  row.classList.add("dragging");
  for (const t of ["pointermove", "pointerup", "pointercancel"]) grip.addEventListener(t, t == "pointermove" ? follow : end);
}
