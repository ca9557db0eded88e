#!/usr/bin/env python3
"""Draws phieu's app icons (a slip of paper with a tick) as PNGs, with no
image library: the icons are committed, this script documents how they were
made. Run from the repository root: python3 scripts/make-icons.py"""
import struct, zlib

BLUE = (0x1D, 0x4E, 0x89)
WHITE = (0xFF, 0xFF, 0xFF)
GREEN = (0x1A, 0x7F, 0x37)

def png(path, size, pixel):
    rows = b"".join(b"\0" + bytes(c for x in range(size) for c in pixel(x / size, y / size)) for y in range(size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))

def near_segment(px, py, ax, ay, bx, by, width):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return (px - cx) ** 2 + (py - cy) ** 2 <= width * width

def icon(scale):
    """scale < 1 shrinks the drawing into the centre (the maskable safe zone)."""
    def pixel(x, y):
        u, v = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
        if 0.27 <= u <= 0.73 and 0.18 <= v <= 0.82:
            if near_segment(u, v, 0.36, 0.52, 0.46, 0.63, 0.035) or near_segment(u, v, 0.46, 0.63, 0.65, 0.38, 0.035):
                return GREEN
            for line in (0.28, 0.36):
                if 0.34 <= u <= 0.66 and abs(v - line) < 0.018:
                    return BLUE
            return WHITE
        return BLUE
    return pixel

png("public/icons/icon-192.png", 192, icon(1.0))
png("public/icons/icon-512.png", 512, icon(1.0))
png("public/icons/maskable-512.png", 512, icon(0.75))
