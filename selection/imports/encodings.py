"""Which encoding a CSV file is in: UTF-8 or UTF-16 when it says so or decodes as such, else Big5-HKSCS
(Hong Kong) or GB18030 (the Mainland) by which of the two decodes cleanly and makes sense, else refused.

Many byte strings decode both ways: GB-encoded 陈大华 reads in Big5 as 麻湮貌. The two readings are told
apart by what each yields. A reading "makes sense" when it gives only Chinese characters, punctuation and
Latin text: Big5 text read as GB18030 gives kana, Greek, box-drawing, private-use or rare characters
(Big5's second bytes 0x40-0x7E never occur in GB2312), and GB text read as Big5 gives bopomofo and symbols.
When both readings are clean, the one with more of the characters common in names and department names
wins, by at least two; otherwise the file is refused as ambiguous, with the advice to save it as UTF-8."""

import contextlib
from collections import Counter
from dataclasses import dataclass

import opencc
from django.utils.translation import gettext as _

from .bounds import FileRefused

# Characters common in Hong Kong and Mainland names and in the names of departments and posts.
_COMMON_SIMPLIFIED = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤区欧阳"
    "司徒麦伍霍卫岑甘容翁温骆关简植冼邝伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂文华建国志红玉"
    "小大家嘉乐美玲子德荣俊辉晓海燕云飞鹏宇浩天成斌婷雪琳晶鑫思颖欣怡佳慧宏凤珍玉梅莉芬丹宁新立永春"
    "安东南西北中山水月日光正清世长兴盛富贵福寿祥瑞诗雅慧琪琦婉君雯嘉颖咏仪淑贤惠贞洁凯豪朗轩铭俊达"
    "部门署局处科室办公厅委员会政府规划工程师主任经理总助理高级行政主管市区县镇省深圳广州珠海香港澳门"
    "中华人民共和国交流合作发展城市建设交通运输环境保护卫生教育文化科技经济贸易金融土地房屋"
)
_TO_TRADITIONAL = opencc.OpenCC("s2hk")
COMMON_SIMPLIFIED = frozenset(_COMMON_SIMPLIFIED)
COMMON_TRADITIONAL = frozenset(_TO_TRADITIONAL.convert(_COMMON_SIMPLIFIED)) | COMMON_SIMPLIFIED


@dataclass
class Decoded:
    text: str
    encoding: str  # as shown on the preview
    note: str


def _is_han(char):
    return (
        "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\U00020000" <= char <= "\U0003134f"
    )


def _is_plain(char):
    """Characters a nominations file is expected to hold besides Chinese ones."""
    code = ord(char)
    return (
        code < 0x250  # Latin, with accents
        or 0x2000 <= code <= 0x206F  # dashes, quotes, ellipsis
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or char == "\u00b7"
    )


def _odd_and_common(text, *, gb):
    """How many characters of the reading make no sense, and how many are common name characters."""
    odd = common = 0
    for char, count in Counter(text).items():
        if char.isascii():
            continue
        if _is_plain(char):
            continue
        if _is_han(char):
            if gb:
                try:
                    char.encode("gb2312")
                except UnicodeEncodeError:
                    odd += count  # outside GB2312: what Big5 bytes give when read as GB
                    continue
            if char in (COMMON_SIMPLIFIED if gb else COMMON_TRADITIONAL):
                common += count
            continue
        odd += count  # kana, Greek, Cyrillic, bopomofo, box drawing, private use: not in a nominations file
    return odd, common


def _refuse_unknown():
    return FileRefused(
        _(
            "The text of this file is not in UTF-8, UTF-16, Big5 or GB18030, so its Chinese characters "
            "cannot be read reliably. In Excel, choose Save As → “CSV UTF-8 (Comma delimited)” and upload "
            "that."
        )
    )


def _big5(text, why):
    return Decoded(
        text,
        "Big5-HKSCS",
        _(
            "The file was read as Big5 (Traditional Chinese) text: %(why)s "
            "Check that the Chinese names below are right."
        )
        % {"why": why},
    )


def _gb(text, why):
    return Decoded(
        text,
        "GB18030",
        _(
            "The file was read as GB18030 (Simplified Chinese) text: %(why)s "
            "Check that the Chinese names below are right."
        )
        % {"why": why},
    )


def decode(content: bytes) -> Decoded:
    """The text of a CSV file and how it was read, or FileRefused."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            text = content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise FileRefused(_("The file says it is UTF-8 text but is not valid UTF-8.")) from None
        return Decoded(text, "UTF-8", _("The file was read as UTF-8 text (it says so)."))
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(_("The file says it is UTF-16 text but is not valid UTF-16.")) from None
        return Decoded(text, "UTF-16", _("The file was read as UTF-16 text (it says so)."))
    sample = content[:4096]
    if b"\x00" in sample:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        if sample[1::2].count(0) > len(sample) // 4:
            codec = "utf-16-le"
        elif sample[0::2].count(0) > len(sample) // 4:
            codec = "utf-16-be"
        else:
            raise FileRefused(_("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."))
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            raise FileRefused(
                _("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
            ) from None
        return Decoded(text, "UTF-16", _("The file was read as UTF-16 text."))
    try:
        return Decoded(content.decode("utf-8"), "UTF-8", _("The file was read as UTF-8 text."))
    except UnicodeDecodeError:
        pass
    readings = {}
    for codec in ("big5hkscs", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            readings[codec] = content.decode(codec)
    if not readings:
        raise _refuse_unknown()
    if list(readings) == ["big5hkscs"]:
        return _big5(readings["big5hkscs"], _("it is not valid GB18030."))
    big5_text, gb_text = readings.get("big5hkscs"), readings["gb18030"]
    gb_odd, gb_common = _odd_and_common(gb_text, gb=True)
    if big5_text is None:
        if gb_odd:
            raise _refuse_unknown()
        return _gb(gb_text, _("it is not valid Big5."))
    big5_odd, big5_common = _odd_and_common(big5_text, gb=False)
    if big5_odd == 0 and gb_odd > 0:
        return _big5(big5_text, _("read as GB18030 it gives characters no nominations file holds."))
    if gb_odd == 0 and big5_odd > 0:
        return _gb(gb_text, _("read as Big5 it gives characters no nominations file holds."))
    if gb_odd == 0 and big5_odd == 0:
        if gb_common >= big5_common + 2:
            return _gb(gb_text, _("its characters are common in names only when read this way."))
        if big5_common >= gb_common + 2:
            return _big5(big5_text, _("its characters are common in names only when read this way."))
    raise FileRefused(
        _(
            "The Chinese text of this file reads both as Big5 (Traditional Chinese) and as GB18030 "
            "(Simplified Chinese), and it cannot be told which is right. In Excel, choose Save As → "
            "“CSV UTF-8 (Comma delimited)” and upload that."
        )
    )
