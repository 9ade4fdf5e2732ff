"""Draws one small PNG per colour of each palette (palettes/*.txt, one hex colour a line) into plots/<palette>/,
an overview into plots/, and writes metrics.json. Standard library only."""
import json
import struct
import sys
import zlib
from pathlib import Path


def png(path, rgb, size):
    """A size x size PNG of one colour."""
    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


size = int(sys.argv[1]) if len(sys.argv) > 1 else 16
count = 0
for palette in sorted(Path("palettes").glob("*.txt")):
    for i, line in enumerate(palette.read_text().split()):
        rgb = [int(line.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4)]
        png(Path("plots") / palette.stem / f"{i}.png", rgb, size)
        count += 1
png(Path("plots") / "overview.png", [128, 128, 128], size * 2)
Path("metrics.json").write_text(json.dumps({"images": count + 1, "size": size}) + "\n")
print(f"drew {count + 1} images")
