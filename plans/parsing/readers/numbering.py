"""Word's automatic numbering, rendered as the reader of the document sees it: 一、 （一） 1. ①.

Word stores a numbered paragraph as a reference (numId, level) into numbering.xml, where each level
has a format (chineseCounting, decimal, …), a text pattern (`%1、`, `（%2）`) and a start value. The
labels are counted here in document order, with lower levels restarting when a higher level moves on.
"""

from __future__ import annotations

from docx.oxml.ns import qn

DIGITS = "零一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese(n: int) -> str:
    """一 … 九十九, as plans number their parts and sections."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    return str(n)


def roman(n: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while n >= value:
            out, n = out + letters, n - value
    return out


def letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "chineseLegalSimplified": chinese,
    "japaneseCounting": chinese,
    "ideographDigital": lambda n: "".join(DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": lambda n: HEAVENLY_STEMS[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: CIRCLED[n - 1] if n <= len(CIRCLED) else str(n),
    "decimalEnclosedCircleChinese": lambda n: CIRCLED[n - 1] if n <= len(CIRCLED) else str(n),
    "upperLetter": letter,
    "lowerLetter": lambda n: letter(n).lower(),
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


class Level:
    def __init__(self, element) -> None:
        self.format = _val(element, "w:numFmt") or "decimal"
        self.pattern = _val(element, "w:lvlText") if element.find(qn("w:lvlText")) is not None else "%1."
        self.start = int(_val(element, "w:start") or 1)
        restart = _val(element, "w:lvlRestart")
        self.restart = int(restart) if restart is not None else None
        self.legal = element.find(qn("w:isLgl")) is not None


class Numbering:
    """Counts numbered paragraphs in document order and renders each label."""

    def __init__(self, part) -> None:
        self.levels: dict[tuple[str, int], Level] = {}  # (numId, ilvl) → level
        self.list_of: dict[str, str] = {}  # numId → the list it counts in
        self.starts: dict[tuple[str, int], int] = {}  # a numId's startOverride
        self.counters: dict[str, dict[int, int]] = {}  # list → level → last value
        if part is None:
            return
        root = part.element
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract_id = _val(num, "w:abstractNumId")
            abstract = abstracts.get(abstract_id)
            if abstract is None:
                continue
            # A num that restarts a level (startOverride) is a list of its own; others continue their abstractNum's.
            self.list_of[num_id] = f"abstract:{abstract_id}"
            for lvl in abstract.findall(qn("w:lvl")):
                self.levels[(num_id, int(lvl.get(qn("w:ilvl"))))] = Level(lvl)
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl")))
                start = _val(override, "w:startOverride")
                if start is not None:
                    self.starts[(num_id, ilvl)] = int(start)
                    self.list_of[num_id] = f"num:{num_id}"
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    self.levels[(num_id, ilvl)] = Level(lvl)

    def label(self, num_id: str | None, ilvl: int) -> str:
        """The label of the next paragraph numbered (num_id, ilvl), counting it; '' when not numbered."""
        if not num_id or num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        level = self.levels[(num_id, ilvl)]
        counters = self.counters.setdefault(self.list_of[num_id], {})
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = self.starts.get((num_id, ilvl), level.start)
        for deeper in [k for k in counters if k > ilvl]:
            deeper_level = self.levels.get((num_id, deeper))
            if deeper_level is None or deeper_level.restart != 0:
                del counters[deeper]
        text = level.pattern
        for k in range(9):
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            shown = self.levels.get((num_id, k))
            value = counters.get(k, shown.start if shown else 1)
            fmt = "decimal" if level.legal or shown is None else shown.format
            text = text.replace(placeholder, FORMATS.get(fmt, str)(value))
        return text


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))
