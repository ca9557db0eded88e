#!/usr/bin/env python3
"""Where the phone's wasm goes, by origin: twiggy's per-function sizes of the
app's wasm as it ships (bench/size-breakdown.sh runs wasm-bindgen and
`wasm-opt -Oz -g`, names kept), added up by the crate each function comes
from, and for phieu's own crates by module. Two files give the difference,
origin by origin.

    bench/size-breakdown.sh                      # builds, then prints
    bench/size-breakdown.py A.wasm [B.wasm]      # what is in A; with B, B - A

"gzip" is an estimate: the bytes times the ratio gzip -9 gives the whole
file without its names (set by the script as GZIP_RATIO). The exact gzip
figure a phone downloads is scripts/bundle-size.sh's.
"""
import collections
import os
import re
import subprocess
import sys

# Generic code is counted where it is instantiated: `<T as tachys::...>` with
# T from phieu_app counts as Leptos's, because Leptos's code is what grew.
PHIEU = ("phieu_core", "phieu_app")


def origin(name: str) -> str:
    if name.startswith('"') or name.startswith("data segment") or name.startswith("custom section"):
        return "data (texts, tables, panic locations)"
    if name.startswith(("elem[", "table[", "global[", "type[", "import ", "export ")):
        return "wasm tables, types, imports"
    if re.match(r"<(char|bool|str|[ui](8|16|32|64|128|size)|f32|f64|\[)", name):
        return "Rust std (core)"  # methods of primitive types: Debug of char, integers' printing
    if re.match(r"code\[\d+\]$", name) or "shim" in name or name.startswith(("__externref", "__wbindgen", "intounderlying")):
        return "web bindings (wasm-bindgen's shims)"
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
    if first in ("tachys", "leptos", "reactive_graph", "leptos_dom", "either_of", "or_poisoned", "slotmap", "any_spawner", "throw_error", "indexmap"):
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


# The headline parts, first match wins: (origin prefixes, part); `None` keeps the origin's own name.
GROUPS = [
    (("Leptos (reactive_graph",), "Leptos's reactive system (reactive_graph)"),
    (("Leptos",), "Leptos's views (tachys, leptos, indexmap, ...)"),
    (("phieu_core::read", "phieu_core::spec", "phieu_core::lists"), "phieu-core: the loader (read, spec, lists)"),
    (("phieu_core::expr",), "phieu-core: expressions (expr)"),
    (("phieu_core",), "phieu-core: the rest (session, logic, display, json, ...)"),
    (("phieu_app::form",), "the app: the form screen and its widgets (form)"),
    (("phieu_app",), "the app: other screens, storage, sync (app, home, outbox_view, ...)"),
    (("Rust std",), "Rust std (core, alloc, hashbrown, dlmalloc)"),
    (("data",), None),
    (("web bindings",), "web bindings (js_sys, wasm_bindgen, web_sys)"),
]


def group(origin: str) -> str:
    """The headline parts: Leptos's views, its reactive system, the core, the app, the rest."""
    for prefixes, part in GROUPS:
        if origin.startswith(prefixes):
            return part or origin
    return "other (tables, types, unnamed, small crates)"


def main() -> None:
    a = sizes(sys.argv[1])
    ratio = float(os.environ.get("GZIP_RATIO", "0"))
    if len(sys.argv) == 2:
        whole = sum(a.values())
        print(f"{'origin':52} {'bytes':>9} {'share':>6} {'gzip':>8}")
        for k, v in a.most_common(60):
            print(f"{k:52} {v:9d} {100 * v / whole:5.1f}% {round(v * ratio):8d}")
        print(f"{'all':52} {whole:9d}        {round(whole * ratio):8d}")
        groups = collections.Counter()
        for k, v in a.items():
            groups[group(k)] += v
        print()
        print(f"{'part':70} {'bytes':>9} {'gzip':>8}")
        for k, v in groups.most_common():
            print(f"{k:70} {v:9d} {round(v * ratio):8d}")
        return
    b = sizes(sys.argv[2])
    rows = sorted(((b[k] - a[k], k) for k in set(a) | set(b) if b[k] != a[k]), key=lambda r: -abs(r[0]))
    print(f"{'origin':52} {'before':>9} {'after':>9} {'change':>9}")
    for d, k in rows[:40]:
        print(f"{k:52} {a[k]:9d} {b[k]:9d} {d:+9d}")
    print(f"{'all':52} {sum(a.values()):9d} {sum(b.values()):9d} {sum(b.values()) - sum(a.values()):+9d}")


if __name__ == "__main__":
    main()
