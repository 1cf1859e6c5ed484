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
