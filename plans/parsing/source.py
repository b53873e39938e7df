"""Turning the bytes of a plan file into clean lines of text.

Plans arrive as exports from Word, PDF converters and web pages. This module
decodes them and removes conversion debris, keeping line numbers intact so
every later message can point at the line in the original file.
"""

from __future__ import annotations

import codecs
import re

from .structures import EMPTY, NOT_TEXT, PlanFormatError

# Word bookmarks survive some conversions as literal text.
BOOKMARK = re.compile(r"\[bookmark:\s*[^\]]*\]")

# Real words that contain the characters a broken PDF font uses for quotes and
# the enumeration comma; these are never repaired.
_REAL_YE = re.compile(r"野(生|外|营|心|蛮|兽|趣|战|草|菜|花|果|鸭|猪|鸟|味)|(田|视|郊|原|山|朝|荒|旷|分)野")
_REAL_YE_CHAR = re.compile(r"冶(炼|金|铸|锻|游)|陶冶")
_REAL_YAO = re.compile(r"尧(舜|帝)|(唐|帝|陶)尧")
# The unmistakable sign of the glitch: 野…冶 wrapping a short phrase the way
# “…” would, with no punctuation in between.
_QUOTE_GLITCH = re.compile(r"野[^，。、；：,.;:\s野冶]{1,20}冶")

CJK = r"\u4e00-\u9fff"
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode(data: bytes, source_name: str) -> str:
    """Decode a plan file, trying the encodings Chinese plans are saved in.

    UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the
    NUL pattern shows it) and GB18030, which covers GBK and GB2312. Anything
    else, and anything that looks binary, is refused with the file's name.
    """
    if not data.strip():
        raise PlanFormatError(source_name, EMPTY)
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8) :], "utf-8", source_name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", source_name)
    sample = data[:4096]
    nuls = sample.count(0)
    if nuls:
        # UTF-16 text without a BOM has a NUL beside every ASCII character
        # (digits, line breaks), always on the same side of the pair. Chinese
        # text is mostly CJK, and some CJK code points (一 = U+4E00) put a NUL
        # on the other side, so ask for a clear majority rather than purity.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enough = max(4, len(sample) // 64)
        if odd >= enough and odd >= 4 * even:
            return _checked(data, "utf-16-le", source_name)
        if even >= enough and even >= 4 * odd:
            return _checked(data, "utf-16-be", source_name)
        if nuls > max(8, len(sample) // 100):
            raise PlanFormatError(source_name, NOT_TEXT)
        # A stray NUL or two in a text file: read it as text; the reader's Source drops control characters.
    try:
        return _checked(data, "utf-8", source_name)
    except PlanFormatError as utf8_error:
        try:
            return _checked(data, "gb18030", source_name)
        except PlanFormatError:
            pass
        # Neither fits; UTF-8 is what we ask for, so point at its first bad line.
        raise PlanFormatError(
            source_name,
            "无法识别文件编码（此行起出现乱码）；请用记事本或 WPS 另存为 UTF-8 编码的 .txt 后上传",
            utf8_error.line,
        ) from None


def _checked(data: bytes, encoding: str, source_name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanFormatError(source_name, f"无法按 {encoding.upper()} 编码读取此行", line) from exc
    text = text.lstrip("\ufeff")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise PlanFormatError(source_name, NOT_TEXT)
    return text


def split_lines(text: str) -> list[str]:
    """Lines of the file as a user's editor numbers them."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# A number marker with white space inside it (（十三 ）, （ 2）, 十三 、, 2 .): what a web page's bold runs or a PDF's
# text layer leave; it numbers the line as much as （十三） does.
_SPACED_NUMBER = re.compile(
    r"^(?:(?P<open>[（(])[ \u3000\u00a0]*(?P<a>[一二三四五六七八九十]{1,3}|\d{1,3})[ \u3000\u00a0]*(?P<close>[）)])"
    r"|(?P<b>[一二三四五六七八九十]{1,3}|\d{1,3})[ \u3000\u00a0]+(?P<dun>[、.．])(?!\d))"
)


# A bullet glyph a page sets before an item's number (◈20. 拓展…): decoration, not part of the item.
_BULLET = re.compile(r"^[◈◆◇●○■□★☆▲△▶►•▪◎※]\s*(?=[（(]?[\d一二三四五六七八九十])")


def strip_debris(line: str) -> str:
    """Remove bookmarks and outer white space, and close up a number marker; keep a leading tab (table cells)."""
    line = BOOKMARK.sub("", line)
    leading_tab = line.startswith("\t")
    line = line.strip(" \t\u3000\u00a0\ufeff")
    line = _SPACED_NUMBER.sub(_closed_up, _BULLET.sub("", line, count=1), count=1)
    return ("\t" + line) if leading_tab else line


def _closed_up(m: re.Match[str]) -> str:
    if m["b"]:
        return m["b"] + m["dun"]
    return m["open"] + m["a"] + m["close"]


def has_quote_glitch(lines: list[str]) -> bool:
    return any(_is_glitch(line, m) for line in lines for m in _QUOTE_GLITCH.finditer(line))


def _is_glitch(line: str, m: re.Match[str]) -> bool:
    # 野生动物保护和冶炼 also has 野…冶 with no punctuation between; a match
    # whose 野 or 冶 belongs to a real word is not evidence of the glitch.
    ye, zhi = m.start(), m.end() - 1
    real = [*_REAL_YE.finditer(line), *_REAL_YE_CHAR.finditer(line)]
    return not any(r.start() <= i < r.end() for r in real for i in (ye, zhi))


def repair_glyphs(line: str) -> tuple[str, bool]:
    """Undo the broken PDF font: 尧 → 、, 野 → “, 冶 → ”.

    Call only for documents where `has_quote_glitch` found the glitch; real
    words (野生, 冶炼, 唐尧 …) are left alone.
    """
    original = line
    line = _replace_outside(line, "尧", "、", _REAL_YAO)
    line = _replace_outside(line, "野", "“", _REAL_YE)
    line = _replace_outside(line, "冶", "”", _REAL_YE_CHAR)
    # A closing quote whose opening was lost: in a heading, the quoted phrase
    # starts right after the number.
    if "”" in line and line.count("“") < line.count("”"):
        heading = re.match(r"^([（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、)\s*", line)
        if heading and "“" not in line[: line.index("”")]:
            line = line[: heading.end()] + "“" + line[heading.end() :]
    return line, line != original


def _replace_outside(line: str, char: str, replacement: str, keep: re.Pattern[str]) -> str:
    if char not in line:
        return line
    protected = {i for m in keep.finditer(line) for i in range(m.start(), m.end())}
    return "".join(replacement if ch == char and i not in protected else ch for i, ch in enumerate(line))


# A page's number standing between two halves of a paragraph in text taken from a PDF or a printed page: — 12 —,
# - 12 -, 第12页, 第12页 共30页, 12/30. A bare 12 is not one: tables number their rows so.
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]{1,2}\s*\d{1,4}\s*[-—–－]{1,2}|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
_ENDS_SENTENCE = tuple("。！？；;!?：:」”")
# Any outline number: a line that starts an item of the outline.
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}[、.．](?!\d))"
)


def join_page_breaks(lines: list[str]) -> list[int]:
    """Take the page numbers out of the text, and join a paragraph a page break cut in two (…（区发改局牵头， / — 12 —
    / 区财政局配合）), in place: the second half moves up to the first, its own line left blank, so every other
    line keeps its number. Returns the lines (1-based) where a paragraph was joined."""
    joined = []
    for i, line in enumerate(lines):
        if not PAGE_NUMBER.match(line.strip()):
            continue
        lines[i] = ""
        before = next((k for k in range(i - 1, max(-1, i - 4), -1) if lines[k].strip()), None)
        after = next((k for k in range(i + 1, min(len(lines), i + 4)) if lines[k].strip()), None)
        if before is None or after is None or lines[before].startswith("\t") or lines[after].startswith("\t"):
            continue
        head, tail = lines[before].rstrip(), lines[after].strip()
        if _open_brackets(head) > 0 or (not head.endswith(_ENDS_SENTENCE) and not NUMBERED.match(tail)):
            lines[before], lines[after] = head + tail, ""
            joined.append(before + 1)
    return joined


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "（(〔【") - sum(text.count(c) for c in "）)〕】")
