"""The storage alone, for bench/ingest.sh: what phieu's Store::insert does per
submission (BEGIN; SELECT body WHERE id = ?; INSERT; COMMIT), with the same
table, the same pragmas (WAL, synchronous=FULL) and ~1 KB bodies, in a plain
Python loop with no HTTP and no JSON parsing.

    python3 sqlite_baseline.py DB SECONDS [PER_TX] [SYNCHRONOUS]

PER_TX > 1 puts that many inserts in one transaction (group commit), to show
what batching would buy. Prints one line "RESULT {json}".
"""
import json
import sqlite3
import sys
import time

db, seconds = sys.argv[1], float(sys.argv[2])
per_tx = int(sys.argv[3]) if len(sys.argv) > 3 else 1
synchronous = sys.argv[4] if len(sys.argv) > 4 else "FULL"

conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute(f"PRAGMA synchronous={synchronous}")
conn.execute("PRAGMA busy_timeout=5000")
conn.executescript(
    """CREATE TABLE IF NOT EXISTS submissions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        form_id TEXT NOT NULL,
        form_version TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS submissions_form ON submissions(form_id, seq);"""
)

OPINION = (
    "Người dân tổ dân phố số 5 phản ánh việc thu gom rác thải không đúng giờ, xe rác thường đến sau 22 giờ "
    "gây ồn ào và mất vệ sinh. Nhiều hộ gia đình đề nghị phường sớm có phương án điều chỉnh lịch thu gom cho phù hợp."
)
DISTRICTS = ["ba-dinh", "hoan-kiem", "tay-ho", "long-bien", "cau-giay", "dong-da", "hai-ba-trung", "hoang-mai"]


def make(k):
    # Random-order UUID-shaped ids, as in post.lua.
    sid = "%08x-0000-4000-8000-%012x" % ((k * 2654435761) % 4294967296, k)
    body = {
        "id": sid,
        "form": {"id": "phan-anh-du-luan", "version": "1"},
        "startedAt": "2025-11-26T08:00:00.123Z",
        "completedAt": "2025-11-26T08:02:41.456Z",
        "answers": {
            "collaborator": "Nguyễn Thị Hương",
            "phone": "09%08d" % (k % 100000000),
            "district": DISTRICTS[k % len(DISTRICTS)],
            "reportDate": "2025-11-26",
            "topic": "moi-truong",
            "channels": ["zalo", "dien-thoai", "truc-tiep", "hoi-hop"],
            "opinion": OPINION,
            "spread": "khu-dan-cu",
            "urgent": k % 7 == 0,
            "proposal": "Đề nghị UBND phường tổ chức đối thoại với nhân dân trong quý tới.",
        },
        "meta": {"locale": "vi", "appVersion": "bench"},
    }
    return sid, json.dumps(body, ensure_ascii=False, separators=(",", ":"))


lat = []
k = 0
start = time.perf_counter()
end = start + seconds
while time.perf_counter() < end:
    batch = [make(k + i) for i in range(per_tx)]
    k += per_tx
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for sid, body in batch:
        old = conn.execute("SELECT body FROM submissions WHERE id = ?", (sid,)).fetchone()
        if old is None:
            conn.execute(
                "INSERT INTO submissions (id, form_id, form_version, received_at, body) VALUES (?, ?, ?, ?, ?)",
                (sid, "phan-anh-du-luan", "1", "2025-11-26T08:02:42.000Z", body),
            )
    conn.execute("COMMIT")
    lat.append((time.perf_counter() - t0) / per_tx)
elapsed = time.perf_counter() - start
busy = sum(lat) * per_tx  # time inside transactions only: building bodies is not storage
rows = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
conn.close()
lat.sort()
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000
print("RESULT " + json.dumps({
    "requests": k, "seconds": elapsed, "rps": k / busy, "p50_ms": q(0.5), "p99_ms": q(0.99),
    "non2xx": 0, "socket_errors": 0, "distinct_ids": k, "rows": rows, "sqlite": sqlite3.sqlite_version,
    "bytes": len(make(1)[1].encode()),
}))
