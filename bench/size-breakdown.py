#!/usr/bin/env python3
"""Where the phone's wasm goes, by origin: twiggy's per-function sizes of the
app's wasm (as rustc links it, before wasm-bindgen and wasm-opt, names kept),
added up by the crate each function comes from, and for phieu's own crates by
module. Two files give the difference, origin by origin.

    bench/size-breakdown.sh                      # builds, then prints
    bench/size-breakdown.py A.wasm [B.wasm]      # what is in A; with B, B - A

Sizes are of the unoptimised link (wasm-opt takes about a fifth off, evenly);
the gzip figure a phone downloads is scripts/bundle-size.sh's.
"""
import collections
import re
import subprocess
import sys

# Generic code is counted where it is instantiated: `<T as tachys::...>` with
# T from phieu_app counts as Leptos's, because Leptos's code is what grew.
PHIEU = ("phieu_core", "phieu_app")


def origin(name: str) -> str:
    if name.startswith('"') or name.startswith("data segment") or name.startswith("custom section"):
        return "data and sections: " + name.split('"')[1] if '"' in name else name
    if name.startswith(("elem[", "table[", "global[", "type[", "import ", "export ")):
        return "wasm tables, types, imports"
    m = re.findall(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[0-9a-f]+\])?::", name)
    if not m:
        return "(unnamed)"
    first = re.sub(r"\[[0-9a-f]+\]", "", m[0][:-2])
    # `<X as Trait>::f`: the trait's crate when X is a type parameter or a primitive.
    trait = re.match(r"<.*? as ([A-Za-z_][A-Za-z0-9_]*)", name)
    if name.startswith("<") and trait and first in ("T", "F", "Q", "C", "I", "S", "A", "B", "K", "V", "E"):
        first = trait.group(1)
    if first in PHIEU:
        parts = [p[:-2] for p in m[:3]]
        mod = parts[1] if len(parts) > 1 else ""
        if first == "phieu_core" and mod == "expr" and len(parts) > 2:
            mod = "expr::" + parts[2]
        return f"{first}::{mod}"
    if first in ("core", "alloc", "std", "hashbrown", "dlmalloc", "compiler_builtins"):
        return "Rust std (" + first + ")"
    if first in ("tachys", "leptos", "reactive_graph", "leptos_dom", "either_of", "or_poisoned", "slotmap", "any_spawner", "throw_error"):
        return "Leptos (" + first + ")"
    if first in ("wasm_bindgen", "js_sys", "web_sys", "wasm_bindgen_futures", "gloo_storage", "gloo_utils", "futures_util", "futures_channel"):
        return "web bindings (" + first + ")"
    return first


def sizes(path: str) -> collections.Counter:
    out = subprocess.run(["twiggy", "top", "-n", "1000000", path], capture_output=True, text=True, check=True).stdout
    total = collections.Counter()
    for line in out.splitlines()[2:]:
        cells = line.split("┊")
        if len(cells) < 3 or not cells[0].strip().isdigit():
            continue
        name = cells[2].strip()
        if name.startswith("Σ") or name.startswith("...") or "function names" in name or name.startswith("custom section"):
            continue  # names and custom sections never reach the phone
        total[origin(name)] += int(cells[0])
    return total


def main() -> None:
    a = sizes(sys.argv[1])
    if len(sys.argv) == 2:
        whole = sum(a.values())
        print(f"{'origin':52} {'bytes':>9} {'share':>6}")
        for k, v in a.most_common(40):
            print(f"{k:52} {v:9d} {100 * v / whole:5.1f}%")
        print(f"{'all':52} {whole:9d}")
        return
    b = sizes(sys.argv[2])
    rows = sorted(((b[k] - a[k], k) for k in set(a) | set(b) if b[k] != a[k]), key=lambda r: -abs(r[0]))
    print(f"{'origin':52} {'before':>9} {'after':>9} {'change':>9}")
    for d, k in rows[:40]:
        print(f"{k:52} {a[k]:9d} {b[k]:9d} {d:+9d}")
    print(f"{'all':52} {sum(a.values()):9d} {sum(b.values()):9d} {sum(b.values()) - sum(a.values()):+9d}")


if __name__ == "__main__":
    main()
