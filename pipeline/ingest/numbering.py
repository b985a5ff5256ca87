"""Word automatic numbering (numbering.xml), rendered back into the paragraph text.

In a notice built with Word lists the 一、 （一） 1． are drawn by Word from the paragraph's
numPr (numId, ilvl) and the level's numFmt and lvlText; they are not in the paragraph's runs.
Without them the heading hierarchy is lost, so the DOCX backend asks `Numbering.label` for each
paragraph, in document order, and writes the label before the paragraph text.

What Word does and we follow: the list is found on the paragraph or through its style chain
(basedOn), the level from ilvl or from the level that names the paragraph's style; paragraphs
whose w:num instances share an abstractNum continue one list unless a w:num restarts a level
(startOverride); a level restarts when a higher level is used (w:lvlRestart narrows or turns
that off); isLgl shows every level in Arabic digits. The suffix after the label (tab or space)
is not written: in these notices the heading text follows the label directly (一、总体要求).
Bullets are not numbers and give no label."""
from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from docx.oxml.ns import qn

W_VAL = qn("w:val")
_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int
    restart: int | None  # None: restart after any higher level; 0: never; n: after level n (1-based)
    legal: bool
    style: str | None


def _val(parent, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(qn(tag))
    return None if child is None else child.get(W_VAL)


@overload
def _int(value: str | None, default: int) -> int: ...


@overload
def _int(value: str | None, default: None = None) -> int | None: ...


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> Level:
    return Level(fmt=_val(lvl, "w:numFmt") or "decimal", text=_val(lvl, "w:lvlText") or "",
                 start=_int(_val(lvl, "w:start"), 1), restart=_int(_val(lvl, "w:lvlRestart")),
                 legal=lvl.find(qn("w:isLgl")) is not None and _val(lvl, "w:isLgl") not in ("0", "false"),
                 style=_val(lvl, "w:pStyle"))


def _levels(parent) -> dict[int, Level]:
    return {_int(lvl.get(qn("w:ilvl")), 0): _level(lvl) for lvl in parent.findall(qn("w:lvl"))}


class Numbering:
    def __init__(self, numbering_element, styles_element):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_link: dict[str, str] = {}  # abstractNum that takes its levels from a numbering style
        self._nums: dict[str, tuple[str | None, dict[int, Level], dict[int, int]]] = {}
        if numbering_element is not None:
            for abstract in numbering_element.findall(qn("w:abstractNum")):
                key = abstract.get(qn("w:abstractNumId"))
                self._abstract[key] = _levels(abstract)
                link = _val(abstract, "w:numStyleLink")
                if link:
                    self._style_link[key] = link
            for num in numbering_element.findall(qn("w:num")):
                overrides: dict[int, Level] = {}
                starts: dict[int, int] = {}
                for override in num.findall(qn("w:lvlOverride")):
                    ilvl = _int(override.get(qn("w:ilvl")), 0)
                    start = _int(_val(override, "w:startOverride"))
                    if start is not None:
                        starts[ilvl] = start
                    lvl = override.find(qn("w:lvl"))
                    if lvl is not None:
                        overrides[ilvl] = _level(lvl)
                self._nums[num.get(qn("w:numId"))] = (_val(num, "w:abstractNumId"), overrides, starts)
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id -> (numId, ilvl, basedOn)
        self._default_style = None
        if styles_element is not None:
            for style in styles_element.findall(qn("w:style")):
                if style.get(qn("w:type")) != "paragraph":
                    continue
                style_id = style.get(qn("w:styleId"))
                numpr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
                self._styles[style_id] = (_val(numpr, "w:numId"), _val(numpr, "w:ilvl"), _val(style, "w:basedOn"))
                if style.get(qn("w:default")) in ("1", "true"):
                    self._default_style = style_id
        self._counters: dict[str | None, dict[int, int]] = {}
        self._started: set[str] = set()

    def label(self, paragraph) -> str:
        """The number Word draws before this paragraph ("" when none). Call once per paragraph,
        in document order: the counters advance."""
        ppr = paragraph.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl = _val(numpr, "w:numId"), _val(numpr, "w:ilvl")
        style_id = _val(ppr, "w:pStyle") or self._default_style
        if num_id is None or ilvl is None:
            style_num, style_ilvl = self._style_numpr(style_id)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, overrides, starts = self._nums[num_id]
        levels = {**self._abstract_levels(abstract_id), **overrides}
        level_no = (_int(ilvl, 0) if ilvl is not None
                    else next((i for i, lvl in levels.items() if lvl.style and lvl.style == style_id), 0))
        if level_no not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for restart_level, start in starts.items():
                counters[restart_level] = start - 1
        counters[level_no] = counters[level_no] + 1 if level_no in counters else levels[level_no].start
        for deeper, lvl in levels.items():
            if deeper > level_no and (lvl.restart is None or level_no < lvl.restart):
                counters.pop(deeper, None)
        level = levels[level_no]
        if level.fmt == "bullet":
            return ""
        label = level.text
        for i in range(9, -1, -1):
            token = f"%{i + 1}"
            if token in label:
                other = levels.get(i)
                value = counters.get(i, other.start if other else 1)
                fmt = "decimal" if level.legal or other is None else other.fmt
                label = label.replace(token, format_number(value, fmt))
        return label

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            s_num, s_ilvl, based_on = self._styles[style_id]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            style_id = based_on
        return num_id, ilvl

    def _abstract_levels(self, abstract_id: str | None) -> dict[int, Level]:
        if abstract_id is None:
            return {}
        link = self._style_link.get(abstract_id)
        if link:
            num_id, _ = self._style_numpr(link)
            linked = self._nums.get(num_id) if num_id is not None else None
            if linked and linked[0] != abstract_id:
                return self._abstract.get(linked[0], {}) if linked[0] is not None else {}
        return self._abstract.get(abstract_id, {})


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("none",):
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "koreanCounting"):
        return _chinese(n, _CN_DIGITS, _CN_UNITS)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese(n, _CN_LEGAL, _CN_LEGAL_UNITS, short_ten=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _STEMS[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _BRANCHES[(n - 1) % 12]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _chinese(n: int, digits: str, units: tuple[str, ...], short_ten: bool = True) -> str:
    if n <= 0 or n >= 10000:
        return "".join(digits[int(d)] for d in str(n))
    out = []
    text = str(n)
    zero = False
    for i, char in enumerate(text):
        d = int(char)
        place = len(text) - i - 1
        if d == 0:
            zero = True
            continue
        if zero:
            out.append("零")  # a counted number says 零 for a gap (一百零五); 〇 is for digits
            zero = False
        if not (short_ten and d == 1 and place == 1 and i == 0):
            out.append(digits[d])
        out.append(units[place])
    return "".join(out)


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)
