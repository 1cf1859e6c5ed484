"""Guizhou's 9 市(州) and 贵安新区: the areas city officers answer for."""

CITIES: dict[str, str] = {
    "guiyang": "贵阳市",
    "liupanshui": "六盘水市",
    "zunyi": "遵义市",
    "anshun": "安顺市",
    "bijie": "毕节市",
    "tongren": "铜仁市",
    "qianxinan": "黔西南布依族苗族自治州",
    "qiandongnan": "黔东南苗族侗族自治州",
    "qiannan": "黔南布依族苗族自治州",
    "guian": "贵安新区",
}

CITIES_EN: dict[str, str] = {
    "guiyang": "Guiyang",
    "liupanshui": "Liupanshui",
    "zunyi": "Zunyi",
    "anshun": "Anshun",
    "bijie": "Bijie",
    "tongren": "Tongren",
    "qianxinan": "Qianxinan Buyei and Miao Autonomous Prefecture",
    "qiandongnan": "Qiandongnan Miao and Dong Autonomous Prefecture",
    "qiannan": "Qiannan Buyei and Miao Autonomous Prefecture",
    "guian": "Gui'an New Area",
}


def city_name(code: str | None, english: bool = False) -> str | None:
    """The area's name in Chinese, or in English; None for an unknown code."""
    return (CITIES_EN if english else CITIES).get(code or "")


# The first four digits of each area's administrative division codes (GB/T 2260), as they appear
# in characters 3-8 of a USCC (GB 32100-2015). 贵安新区 spans parts of Guiyang and Anshun and
# its own registration authority has used 5209 (not a GB/T 2260 code).
DIVISION_PREFIXES: dict[str, tuple[str, ...]] = {
    "guiyang": ("5201",), "liupanshui": ("5202",), "zunyi": ("5203",), "anshun": ("5204",),
    "bijie": ("5205",), "tongren": ("5206",), "qianxinan": ("5223",), "qiandongnan": ("5226",),
    "qiannan": ("5227",), "guian": ("5201", "5204", "5209"),
}
