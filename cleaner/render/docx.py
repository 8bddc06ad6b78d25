"""DOCX edition laid out after GB/T 9704-2012 (党政机关公文格式).

``docx_bytes(doc)`` returns the whole .docx; the caller writes it.

What a reader gets:

* A4, margins top 37 mm / bottom 35 mm / binding (inside) 28 mm / outside 26 mm, so
  the type area is 156 x 225 mm; mirrored margins because 公文 are printed on both sides.
* 22 lines x 28 characters of 16 pt (三号) 仿宋: exact line spacing 28.95 pt and a
  ``linesAndChars`` document grid; first-line indent of two characters.
* Title 22 pt (二号) 小标宋 centred, headings 一、黑体 / （一）楷体 / 1. and （1）仿宋,
  editor notes in a shaded, boxed 楷体 style so they never pass for source text.
* Page numbers "— 1 —" in 14 pt (四号), odd pages right, even pages left.
* The faces of the PDF, embedded and subset, so the edition looks the same in Word and
  LibreOffice on any machine; East Asian line-breaking rules (kinsoku) stated.
* Subtitle and speaker lines centred under the title, the addressee flush left.
* No table of contents unless asked for (``toc=True``: a TOC field Word fills on open).

Formatting lives in styles only (set once, below); paragraphs are added by style name.
The output is byte-identical across runs: fixed zip timestamps, fixed core dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from .. import shapes as P
from ..document import Document, source_date_epoch
from ..textutil import XML_INVALID
from .fontdirs import FONT_DIRS
from .truetype import font_id, truetype_outlines

__all__ = ["DATE_STYLE", "NOTE_STYLE", "docx_bytes", "word_language", "xml_safe"]

NOTE_STYLE = "Editor Note"
DATE_STYLE = "Document Date"
PAGE_ODD_STYLE = "Page Number Odd"
PAGE_EVEN_STYLE = "Page Number Even"
FOLIO_DASH_STYLE = "Folio Dash"
SUBTITLE_STYLE = "Subtitle"
SPEAKER_STYLE = "Speaker"
SALUTATION_STYLE = "Salutation"
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '

# --- GB/T 9704-2012 geometry, in twips (1/20 pt; 1 mm = 1440/25.4 twips) -------------


def _mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_W, PAGE_H = 11906, 16838  # A4 as Word writes it
MARGIN_TOP, MARGIN_BOTTOM = _mm(37), _mm(35)
MARGIN_INSIDE, MARGIN_OUTSIDE = _mm(28), _mm(26)  # 订口 / 翻口
TYPE_W = PAGE_W - MARGIN_INSIDE - MARGIN_OUTSIDE  # 8845 ≈ 156 mm
TYPE_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 ≈ 225 mm
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
LINE_PITCH = 579  # 28.95 pt: 22 x 579 = 12738 <= TYPE_H, 23 lines would not fit
BODY_PT, TITLE_PT, NOTE_PT, PAGE_NUMBER_PT = 16, 22, 14, 14  # 三号, 二号, 四号, 四号


# Page number: GB/T 9704 7.5 puts the dash line 7 mm under the type area. Word's footer
# distance measures from the page edge to the bottom of the footer, whose single 14 pt
# line is about 1.2 x 14 pt tall.
FOOTER_DISTANCE = MARGIN_BOTTOM - _mm(7) - round(1.2 * PAGE_NUMBER_PT * 20)
HEADER_DISTANCE = _mm(15)

# --- fonts ------------------------------------------------------------------------------
#
# The DOCX is set in the faces the PDF is set in (style.css as WeasyPrint resolves it on
# a Debian system with the packages of scripts/system-deps.sh), and carries them: each
# face is embedded, subset to the characters it sets and obfuscated (ECMA-376 Part 1
# 17.8.1), which Word and LibreOffice both read. The names that styles and fontTable.xml
# use are the family names inside the font files (name ID 1): that is the name under
# which Word and LibreOffice register an embedded font, so any other name (仿宋, 黑体)
# would be looked up among the installed fonts instead and fall back to whatever is there.



@dataclass(frozen=True)
class Face:
    """One font file: ``family`` is its name ID 1, ``files`` the file names to look for
    under ``FONT_DIRS`` (the first one found is used; in a collection, the member whose
    family is ``family``), ``bold`` whether it is the family's bold member."""

    family: str
    files: tuple[str, ...]
    bold: bool = False
    # fontTable.xml hints for substitution when the face cannot be embedded:
    # charset (86 = GB2312, 88 = Big5, 00 = ANSI), family kind, pitch.
    charset: str = "86"
    kind: str = "roman"
    pitch: str = "variable"


@dataclass(frozen=True)
class FontSet:
    """The faces of one script, by role, and the body's character spacing."""

    body: Face  # 仿宋: paragraphs, 1. and （1） headings, front matter
    title: Face  # 小标宋's stand-in: the title, in bold like the PDF's
    heading1: Face  # 黑体: 一、 headings
    kai: Face  # 楷体: （一） headings, the date line, editor's notes
    folio: Face  # 宋体: the page numbers' dashes
    latin: Face  # digits and Latin letters in every role
    # Twips added to every character of the body so 28 characters of 16 pt fill the 156 mm
    # measure (style.css --body-tracking): 28 x (16 - 0.25) pt = 441 pt <= 442.2 pt.
    # Applied to the text itself (w:spacing), it gives 28 characters a line in Word, WPS
    # and LibreOffice alike; a linesAndChars grid does the same in Word only.
    tracking: int


LATIN = Face("Liberation Serif", ("LiberationSerif-Regular.ttf",), charset="00")

SIMPLIFIED = FontSet(
    body=Face("FandolFang R", ("FandolFang-Regular.otf",), kind="modern", pitch="fixed"),
    title=Face("Noto Serif CJK SC", ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"), bold=True),
    heading1=Face("Noto Sans CJK SC", ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"), kind="swiss"),
    kai=Face("AR PL UKai CN", ("ukai.ttc",), kind="script", pitch="fixed"),
    folio=Face("Noto Serif CJK SC", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf")),
    latin=LATIN,
    tracking=-5,
)

# Traditional: the same roles with Traditional glyph forms; cwTeX 仿宋 for the body. Its
# characters are 0.92 em wide: 28 x (14.72 + 1.05) pt = 441.6 pt.
TRADITIONAL = FontSet(
    body=Face("cwTeXFangSong", ("cwfs.ttf",), charset="88", kind="modern", pitch="fixed"),
    title=Face("Noto Serif CJK TC", ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKtc-Bold.otf"), bold=True, charset="88"),
    heading1=Face("Noto Sans CJK TC", ("NotoSansCJK-Regular.ttc", "NotoSansCJKtc-Regular.otf"), charset="88",
                  kind="swiss"),
    kai=Face("AR PL UKai TW", ("ukai.ttc",), charset="88", kind="script", pitch="fixed"),
    folio=Face("Noto Serif CJK TC", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKtc-Regular.otf"), charset="88"),
    latin=LATIN,
    tracking=21,
)

# --- language ---------------------------------------------------------------------------


def word_language(tag: str | None) -> str:
    """Map the document's BCP 47 tag to the Word language id (w:lang w:eastAsia)."""
    t = (tag or "zh-CN").lower()
    if "hk" in t:
        return "zh-HK"
    if "mo" in t.split("-"):
        return "zh-MO"
    if "hant" in t or "tw" in t:
        return "zh-TW"
    return "zh-CN"


def _fonts_for(lang: str) -> FontSet:
    return SIMPLIFIED if lang == "zh-CN" else TRADITIONAL


# --- text safety ------------------------------------------------------------------------



def xml_safe(text: str) -> tuple[str, int]:
    """``text`` with XML-invalid characters replaced by U+FFFD, and how many there were.

    The pipeline removes these earlier; this is the renderer's last guard."""
    count = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal count
        count += len(m.group())
        return "\ufffd" * len(m.group())

    return XML_INVALID.sub(replace, text), count


def _safe(text: str) -> str:
    return xml_safe(text)[0]


# --- XML helpers: children in schema order ---------------------------------------------
# Word refuses (or "repairs") parts whose children are out of the schema's sequence, so
# every child is inserted before the first sibling that must follow it.

_SEQUENCES: dict[str, tuple[str, ...]] = {
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
        "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
        "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    ),
    "w:rPr": (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
        "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
        "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
        "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
        "w:eastAsianLayout", "w:specVanish", "w:oMath",
    ),
    "w:sectPr": (
        "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
        "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
        "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
        "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    ),
    "w:settings": (
        "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
        "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
        "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
        "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts",
        "w:saveFormsData", "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
        "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
        "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
        "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter",
        "w:stylePaneSortMethod", "w:documentType", "w:mailMerge", "w:revisionView",
        "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
        "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme",
        "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
        "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
        "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
        "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
        "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
        "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
        "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
        "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
        "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl",
        "w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter",
        "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema",
        "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
        "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving",
        "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
        "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
        "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
        "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
        "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
        "w:listSeparator",
    ),
}  # fmt: skip

_PREFIX = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _tag_of(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"w:{q.localname}" if q.namespace == _PREFIX["w"] else q.localname


def _child(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """The ``tag`` child of ``parent`` (created in schema order), with ``attrs`` set."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        seq = _SEQUENCES[_tag_of(parent)]
        later = {qn(t) for t in seq[seq.index(tag) + 1 :]}
        successor = next((c for c in parent if c.tag in later), None)
        if successor is None:
            parent.append(el)
        else:
            successor.addprevious(el)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _drop(parent: etree._Element, *tags: str) -> None:
    for tag in tags:
        for el in parent.findall(qn(tag)):
            parent.remove(el)


_THEME_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"))


def _strip_theme_fonts(root: etree._Element) -> None:
    """Remove theme-font references: the template's theme fonts override explicit names."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(attr, None)


# --- run properties ---------------------------------------------------------------------


def _set_fonts(rpr: etree._Element, east_asia: str, latin: str = LATIN.family) -> None:
    # hint=eastAsia: quotes, dashes and ellipses shared by both scripts take the CJK face,
    # as they do when typed with a Chinese IME.
    rfonts = _child(rpr, "w:rFonts")
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(attr, None)
    for slot, name in (
        ("ascii", latin),
        ("hAnsi", latin),
        ("eastAsia", east_asia),
        ("cs", latin),
    ):
        rfonts.set(qn(f"w:{slot}"), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _set_tracking(rpr: etree._Element, twips: int) -> None:
    _child(rpr, "w:spacing", val=str(twips))


def _set_size(rpr: etree._Element, points: float) -> None:
    half_points = str(round(points * 2))
    _child(rpr, "w:sz", val=half_points)
    _child(rpr, "w:szCs", val=half_points)


def _set_bold(rpr: etree._Element, bold: bool) -> None:
    _drop(rpr, "w:b", "w:bCs")
    if bold:
        _child(rpr, "w:b")
        _child(rpr, "w:bCs")


def _set_color(rpr: etree._Element, rgb: str) -> None:
    color = _child(rpr, "w:color", val=rgb)
    for attr in ("themeColor", "themeShade", "themeTint"):
        color.attrib.pop(qn(f"w:{attr}"), None)


def _set_language(rpr: etree._Element, lang: str) -> None:
    _child(rpr, "w:lang", val="en-US", eastAsia=lang, bidi="ar-SA")


# --- paragraph properties ---------------------------------------------------------------


def _set_line_spacing(ppr: etree._Element, exact: int | None, before: int = 0, after: int = 0) -> None:
    """Exact spacing keeps every line on the 28.95 pt grid; None means single spacing."""
    spacing = _child(ppr, "w:spacing", before=str(before), after=str(after))
    if exact is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(exact))
        spacing.set(qn("w:lineRule"), "exact")


def _set_first_line_chars(ppr: etree._Element, chars: int, points: float) -> None:
    """First-line indent in characters (Word, WPS) and in twips for readers without it."""
    ind = _child(ppr, "w:ind")
    ind.attrib.clear()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * points * 20)))


def _set_justification(ppr: etree._Element, val: str) -> None:
    _child(ppr, "w:jc", val=val)


def _set_outline_level(ppr: etree._Element, level: int) -> None:
    _child(ppr, "w:outlineLvl", val=str(level))


def _set_box(ppr: etree._Element) -> None:
    """Thin grey rule on all four sides plus light shading: reads as an inserted note."""
    border = _child(ppr, "w:pBdr")
    for el in list(border):
        border.remove(el)
    for side in ("top", "left", "bottom", "right"):  # CT_PBdr order
        # No extra space above/below: the exact line already pads the 14 pt text, and
        # padding would push the following lines off the 28.95 pt rhythm.
        space = "4" if side in ("left", "right") else "0"
        edge = OxmlElement(f"w:{side}")
        for name, value in (
            ("val", "single"),
            ("sz", "4"),
            ("space", space),
            ("color", "7F7F7F"),
        ):
            edge.set(qn(f"w:{name}"), value)
        border.append(edge)
    _child(ppr, "w:shd", val="clear", color="auto", fill="F2F2F2")


# --- styles, each set once --------------------------------------------------------------


def _fresh_properties(style: Any) -> tuple[etree._Element, etree._Element]:
    """Drop a template style's paragraph and run properties and return new empty ones."""
    el = style.element
    el._remove_pPr()
    el._remove_rPr()
    return el.get_or_add_pPr(), el.get_or_add_rPr()


def _style_defaults(styles_el: etree._Element, fonts: FontSet, lang: str) -> None:
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(rpr, fonts.body.family, fonts.latin.family)
    _set_tracking(rpr, fonts.tracking)
    _set_size(rpr, BODY_PT)
    _set_language(rpr, lang)
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    # Kinsoku: East Asian line-breaking rules (no closing mark at a line's start), with
    # the marks listed in settings.xml (see _set_up_settings).
    _child(ppr, "w:kinsoku", val="1")
    # No extra space between Chinese and digits or Latin letters ("太仓市2023年"), as in
    # the PDF; Word adds a quarter em or so by default. (LibreOffice 7.4 ignores these.)
    _child(ppr, "w:autoSpaceDE", val="0")
    _child(ppr, "w:autoSpaceDN", val="0")
    _set_line_spacing(ppr, None)


def _style_normal(style: Any, fonts: FontSet, lang: str) -> None:
    ppr, rpr = _fresh_properties(style)
    _set_line_spacing(ppr, LINE_PITCH)
    _set_first_line_chars(ppr, 2, BODY_PT)
    _set_justification(ppr, "both")
    _set_fonts(rpr, fonts.body.family, fonts.latin.family)
    _set_size(rpr, BODY_PT)
    _set_language(rpr, lang)


def _style_title(style: Any, fonts: FontSet) -> None:
    # Off the character grid: a 22 pt character would take two 15.8 pt grid cells and the
    # title would come out letter-spaced. The exact 28.95 pt line keeps the line rhythm.
    ppr, rpr = _fresh_properties(style)
    _child(ppr, "w:keepNext")
    _child(ppr, "w:snapToGrid", val="0")
    _set_line_spacing(ppr, LINE_PITCH)
    _set_first_line_chars(ppr, 0, TITLE_PT)
    _set_justification(ppr, "center")
    # Digits in the title face too: style.css's title stack has no Latin face.
    _set_fonts(rpr, fonts.title.family, fonts.title.family)
    _set_bold(rpr, fonts.title.bold)
    _set_color(rpr, "000000")
    _set_tracking(rpr, 0)
    _set_size(rpr, TITLE_PT)


def _style_date(style: Any, fonts: FontSet) -> None:
    # 楷体 like the PDF's, centred under the title.
    ppr, rpr = _fresh_properties(style)
    _set_line_spacing(ppr, LINE_PITCH)
    _set_first_line_chars(ppr, 0, BODY_PT)
    _set_justification(ppr, "center")
    _set_fonts(rpr, fonts.kai.family, fonts.latin.family)
    _set_tracking(rpr, 0)


def _style_front_matter(style: Any, jc: str) -> None:
    # Subtitle ("——2015年2月5日在…会议上") and speaker ("区长 XXX") centred under the
    # title, the addressee ("各位代表：", 主送机关) flush left: body face, no indent, on
    # the body's grid (GB/T 9704 7.3.2-7.3.3).
    ppr, _rpr = _fresh_properties(style)
    _child(ppr, "w:keepNext")
    _set_line_spacing(ppr, LINE_PITCH)
    _set_first_line_chars(ppr, 0, BODY_PT)
    _set_justification(ppr, jc)


def _style_heading(style: Any, level: int, fonts: FontSet) -> None:
    # Same size and grid as the body (GB/T 9704 7.3.3): the face marks the level.
    # Black, upright, not bold: the template's blue/bold/italic headings are not 公文.
    east_asia = {1: fonts.heading1, 2: fonts.kai}.get(level, fonts.body).family
    # 黑体 headings set their digits in 黑体 (style.css's 黑体 stack has no Latin face).
    latin = east_asia if level == 1 else fonts.latin.family
    ppr, rpr = _fresh_properties(style)
    _child(ppr, "w:keepNext")
    _child(ppr, "w:keepLines")
    _set_line_spacing(ppr, LINE_PITCH)
    # The outline level feeds Word's navigation pane and the TOC's \o and \u switches.
    _set_outline_level(ppr, level - 1)
    _set_fonts(rpr, east_asia, latin)
    _set_bold(rpr, False)
    _set_color(rpr, "000000")
    _set_size(rpr, BODY_PT)


def _style_note(style: Any, fonts: FontSet) -> None:
    ppr, rpr = _fresh_properties(style)
    _set_box(ppr)
    _set_line_spacing(ppr, LINE_PITCH)
    _set_fonts(rpr, fonts.kai.family, fonts.latin.family)
    _set_tracking(rpr, 0)
    _set_color(rpr, "404040")
    _set_size(rpr, NOTE_PT)


def _style_footer(style: Any, fonts: FontSet) -> None:
    # 4号半角宋体阿拉伯数字 (GB/T 9704 7.5): digits in the 宋 face too. Off the grid, so
    # the footer line is 14 pt tall rather than a 28.95 pt grid line.
    ppr, rpr = _fresh_properties(style)
    _child(ppr, "w:snapToGrid", val="0")
    _set_line_spacing(ppr, None)
    _set_first_line_chars(ppr, 0, PAGE_NUMBER_PT)
    _set_fonts(rpr, fonts.folio.family, fonts.latin.family)
    _set_tracking(rpr, 0)
    _set_size(rpr, PAGE_NUMBER_PT)


def _style_page_number(style: Any, odd: bool) -> None:
    # 单页码居右空一字，双页码居左空一字: one character in from the outer edge.
    ppr, _rpr = _fresh_properties(style)
    ind = _child(ppr, "w:ind")
    side = "right" if odd else "left"
    ind.set(qn(f"w:{side}Chars"), "100")
    ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_PT * 20))
    _set_justification(ppr, "right" if odd else "left")


def _paragraph_style(styles: Any, name: str, based_on: str) -> Any:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[based_on]
    style.quick_style = True
    return style


def _set_up_styles(d: Any, fonts: FontSet, lang: str) -> None:
    styles = d.styles
    _strip_theme_fonts(styles.element)
    _style_defaults(styles.element, fonts, lang)
    _style_normal(styles["Normal"], fonts, lang)
    _style_title(styles["Title"], fonts)
    for level in range(1, 5):
        _style_heading(styles[f"Heading {level}"], level, fonts)
    _style_footer(styles["Footer"], fonts)

    date = _paragraph_style(styles, DATE_STYLE, "Normal")
    date.next_paragraph_style = styles["Normal"]
    _style_date(date, fonts)
    subtitle = styles[SUBTITLE_STYLE]
    subtitle.base_style = styles["Normal"]
    _style_front_matter(subtitle, "center")
    _style_front_matter(_paragraph_style(styles, SPEAKER_STYLE, "Normal"), "center")
    _style_front_matter(_paragraph_style(styles, SALUTATION_STYLE, "Normal"), "left")
    note = _paragraph_style(styles, NOTE_STYLE, "Normal")
    note.next_paragraph_style = styles["Normal"]
    _style_note(note, fonts)
    _style_page_number(_paragraph_style(styles, PAGE_ODD_STYLE, "Footer"), odd=True)
    _style_page_number(_paragraph_style(styles, PAGE_EVEN_STYLE, "Footer"), odd=False)
    # The dashes of "— 1 —" in the 宋 face in every slot: LibreOffice takes a dash next to
    # a digit for Latin text and would set it in the Latin face.
    dash = styles.add_style(FOLIO_DASH_STYLE, WD_STYLE_TYPE.CHARACTER)
    _set_fonts(dash.element.get_or_add_rPr(), fonts.folio.family, fonts.folio.family)


# --- fields -----------------------------------------------------------------------------


def _field_runs(instruction: str, result: str = "", dirty: bool = False) -> list[etree._Element]:
    """Runs of a complex field (begin / instruction / separate / result / end)."""

    def run(*children: etree._Element) -> etree._Element:
        r = OxmlElement("w:r")
        for c in children:
            r.append(c)
        return r

    def fld_char(kind: str) -> etree._Element:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin" and dirty:
            # Word recomputes a dirty field when it opens the file.
            el.set(qn("w:dirty"), "true")
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    runs = [run(fld_char("begin")), run(instr), run(fld_char("separate"))]
    if result:
        t = OxmlElement("w:t")
        t.text = result
        runs.append(run(t))
    runs.append(run(fld_char("end")))
    return runs


def _add_toc(d: Any) -> None:
    # Empty result: the file's text stays the clean text; Word fills the TOC on opening.
    p = d.add_paragraph()
    for r in _field_runs(TOC_INSTRUCTION, dirty=True):
        p._p.append(r)


def _page_number_paragraph(paragraph: Any, style: str) -> None:
    paragraph.style = style
    paragraph.add_run("— ", FOLIO_DASH_STYLE)
    for r in _field_runs(" PAGE ", result="1"):
        paragraph._p.append(r)
    paragraph.add_run(" —", FOLIO_DASH_STYLE)


# --- page setup -------------------------------------------------------------------------


def _set_up_page(d: Any) -> None:
    section = d.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = (
        Twips(MARGIN_INSIDE),
        Twips(MARGIN_OUTSIDE),
    )
    section.header_distance, section.footer_distance = (
        Twips(HEADER_DISTANCE),
        Twips(FOOTER_DISTANCE),
    )
    section.gutter = Twips(0)
    sect_pr = section._sectPr
    grid = _child(sect_pr, "w:docGrid")
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))

    # Odd pages right-aligned, even pages left-aligned: two footers, switched on by
    # w:evenAndOddHeaders in settings.
    d.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number_paragraph(section.footer.paragraphs[0], PAGE_ODD_STYLE)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], PAGE_EVEN_STYLE)


# Kinsoku (禁则): marks that may not start a line, and marks that may not end one. A
# list in settings.xml replaces the reader's built-in one for that language, so these
# are the union of Word's Simplified and Traditional Chinese defaults. (LibreOffice 7.4
# does not read them from a DOCX and uses its own locale data, whose zh-TW list lacks ”.)
NO_LINE_START = (
    "!%),.:;?]}¢°·ˇˉ―‖’”•‥…‧‰′″›℃∶、。〃〆〉》」』】〕〗〞︰︱︳︴︶︸︺︼︾﹀﹂﹄﹏"
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞！＂％＇），．：；？］｜｝～￠"
)
NO_LINE_END = "$([{£¥‘“〈《「『【〔〖〝﹙﹛﹝＄（［｛￡￥"


def _set_up_settings(d: Any, lang: str) -> None:
    settings = d.settings.element
    # Word keeps the embedded (subset) fonts when it saves the file again.
    _child(settings, "w:embedTrueTypeFonts")
    _child(settings, "w:saveSubsetFonts")
    # 订口 (binding margin) is the inside edge of a two-sided 公文.
    _child(settings, "w:mirrorMargins")
    _child(settings, "w:noLineBreaksAfter", lang=lang, val=NO_LINE_END)
    _child(settings, "w:noLineBreaksBefore", lang=lang, val=NO_LINE_START)
    _child(settings, "w:themeFontLang", val="en-US", eastAsia=lang)


# --- package clean-up -------------------------------------------------------------------

_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_RT_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>cleaner</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _set_app_properties(d: Any) -> None:
    """docProps/app.xml: the template's says Microsoft Macintosh Word, Pages 1, Words 0.
    Only what is true is left: the application. Page, word and line counts depend on the
    reader's layout; Word recomputes them when it saves."""
    for p in d.part.package.iter_parts():
        if p.partname == "/docProps/app.xml":
            p._blob = _APP_XML  # python-docx keeps app.xml as an opaque blob


def _drop_stale_parts(d: Any) -> None:
    """Remove template parts that would contradict this document.

    stylesWithEffects.xml is the template's old copy of styles.xml that Word 2010 may
    read instead of styles.xml; the thumbnail is a picture of python-docx's template."""
    for rels, reltype in (
        (d.part.rels, _RT_STYLES_WITH_EFFECTS),
        (d.part.package.rels, _RT_THUMBNAIL),
    ):
        for rid in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
            del rels[rid]


def _font_file(name: str) -> Path | None:
    """The first file called ``name`` under ``FONT_DIRS``."""
    return _find_font_files().get(name)


@functools.cache
def _find_font_files() -> dict[str, Path]:
    wanted = {f for fs in (SIMPLIFIED, TRADITIONAL) for face in _faces(fs) for f in face.files}
    found: dict[str, Path] = {}
    for root in FONT_DIRS:
        if not os.path.isdir(root):
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for f in sorted(wanted.intersection(filenames) - found.keys()):
                found[f] = Path(dirpath, f)
    return found


def _faces(fonts: FontSet) -> tuple[Face, ...]:
    return (fonts.body, fonts.title, fonts.heading1, fonts.kai, fonts.folio, fonts.latin)


@functools.cache
def _locate(face: Face) -> tuple[Path, int] | None:
    """The installed file of ``face`` and, in a collection, the member's index."""
    from fontTools.ttLib import TTCollection, TTFont

    path = next((p for p in map(_font_file, face.files) if p is not None), None)
    if path is None:
        return None
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            members = TTCollection(str(path), lazy=True).fonts
        else:
            members = [TTFont(str(path), lazy=True)]
        return next(((path, i) for i, f in enumerate(members) if f["name"].getDebugName(1) == face.family), None)
    except Exception:  # an unreadable font file is a missing face, not a failed build
        return None


@functools.lru_cache(maxsize=12)  # a document's faces in both scripts: kept, in a batch worker, no longer
def _subset(face: Face, chars: frozenset[str]) -> bytes | None:
    """``face``'s font file cut down to ``chars`` (plus .notdef, with its outline), without
    hinting, or None when the face is not installed. HarfBuzz's subsetter (the one the
    PDF renderer uses: ~0.05 s for a CJK face) when libharfbuzz-subset is there, else
    fontTools (~1-3 s). Either keeps the file's own timestamps, so the result depends only
    on the font file and ``chars``."""
    located = _locate(face)
    if located is None:
        return None
    path, index = located
    codepoints = sorted(ord(c) for c in chars)
    data = _harfbuzz_subset(path, index, codepoints)
    # Word embeds only TrueType-flavoured fonts: CFF outlines are converted (truetype.py)
    return truetype_outlines(data if data is not None else _fonttools_subset(path, index, codepoints),
                             font_id(path, index))


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy(hb_blob_t *blob);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_HB_NO_HINTING, _HB_NOTDEF_OUTLINE = 0x01, 0x40


@functools.cache
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    """(ffi, libharfbuzz, libharfbuzz-subset), or None when they cannot be loaded."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_HB_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


def _harfbuzz_subset(path: Path, index: int, codepoints: list[int]) -> bytes | None:
    libs = _harfbuzz()
    if libs is None:
        return None
    ffi, hb, hbs = libs
    blob = hb.hb_blob_create_from_file(str(path).encode())
    face = hb.hb_face_create(blob, index)
    request = hbs.hb_subset_input_create_or_fail()
    result = out = ffi.NULL
    try:
        if request == ffi.NULL:
            return None
        unicodes = hbs.hb_subset_input_unicode_set(request)
        for cp in codepoints:
            hb.hb_set_add(unicodes, cp)
        hbs.hb_subset_input_set_flags(request, _HB_NO_HINTING | _HB_NOTDEF_OUTLINE)
        result = hbs.hb_subset_or_fail(face, request)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(out, length)
        return bytes(ffi.buffer(data, length[0])) if length[0] else None
    finally:
        if out != ffi.NULL:
            hb.hb_blob_destroy(out)
        if result != ffi.NULL:
            hb.hb_face_destroy(result)
        if request != ffi.NULL:
            hbs.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _fonttools_subset(path: Path, index: int, codepoints: list[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    number = index if path.suffix.lower() in (".ttc", ".otc") else -1
    font = TTFont(str(path), fontNumber=number, recalcTimestamp=False, lazy=True)
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "mort NOT subset; dropped"
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font_key(data: bytes) -> str:
    """A GUID for the obfuscation key, derived from the font's bytes (deterministic)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16], version=4)).upper() + "}"


def obfuscate_font(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1: XOR the first 32 bytes with the key GUID's 16 bytes taken
    from the last to the first (twice). The same operation undoes it."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    return bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32])) + data[32:]


_RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
_CT_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def _embed_fonts(d: Any, fonts: FontSet, used: dict[Face, set[str]]) -> None:
    """Declare our faces in word/fontTable.xml and embed each, subset to ``used[face]``.

    A family's regular and bold members share one w:font (embedRegular / embedBold).
    A face that is not installed is still declared (charset, kind and pitch tell Word what
    to substitute), just not embedded."""
    part = d.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    families: dict[str, list[Face]] = {}
    for face in _faces(fonts):
        if face in used and face not in families.setdefault(face.family, []):
            families[face.family].append(face)
    for el in root.findall(qn("w:font")):
        if el.get(qn("w:name")) in families:
            root.remove(el)
    number = 0
    for family, faces in families.items():
        first = faces[0]
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), family)
        for tag, value in (("charset", first.charset), ("family", first.kind), ("pitch", first.pitch)):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
        for face in sorted(faces, key=lambda f: f.bold):  # CT_Font: embedRegular, embedBold
            data = _subset(face, frozenset(used[face]))
            if data is None:
                continue
            number += 1
            key = _font_key(data)
            blob = obfuscate_font(data, key)
            font_part = Part(PackURI(f"/word/fonts/font{number}.odttf"), _CT_OBFUSCATED_FONT, blob, d.part.package)
            embed = etree.SubElement(font, qn("w:embedBold" if face.bold else "w:embedRegular"))
            embed.set(qn("r:id"), part.relate_to(font_part, _RT_FONT))
            embed.set(qn("w:fontKey"), key)
            embed.set(qn("w:subsetted"), "1")
    # python-docx keeps this part as an opaque blob; there is no public setter.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- dates and core properties ----------------------------------------------------------

def _source_date_epoch() -> dt.datetime | None:
    return source_date_epoch()


def _stamp(doc: Document) -> dt.datetime:
    """Created/modified time: the document's own date, never the time of rendering."""
    return doc.stamp()


def _core_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return _safe(str(value or ""))[:255]  # python-docx refuses longer core properties


def _set_core_properties(d: Any, doc: Document, lang: str) -> None:
    cp = d.core_properties
    title = _core_text(doc.title)
    cp.title = title
    cp.subject = _core_text(doc.meta.get("subject")) or title
    cp.keywords = _core_text(doc.meta.get("keywords"))
    cp.language = lang
    cp.author = _core_text(doc.meta.get("author", ""))
    cp.last_modified_by = ""
    cp.comments = ""  # the template says "generated by python-docx"
    cp.category = ""
    cp.revision = 1
    stamp = _stamp(doc)
    cp.created = stamp
    cp.modified = stamp


# --- deterministic zip ------------------------------------------------------------------


def _zip_time() -> tuple[int, int, int, int, int, int]:
    stamp = _source_date_epoch()
    if stamp is None or stamp.year < 1980:
        return (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
    stamp = min(stamp, dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC))
    return (
        stamp.year,
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second // 2 * 2,
    )


@functools.lru_cache(maxsize=4)
def _template(lang: str) -> bytes:
    """python-docx's template with this module's styles, page, settings and properties
    for ``lang``, as an uncompressed package: what every DOCX of that language starts
    from. Set up once a process (it is half of the work of a DOCX without its fonts)."""
    d = docx.Document()
    _set_up_styles(d, _fonts_for(lang), lang)
    _set_up_page(d)
    _set_up_settings(d, lang)
    _drop_stale_parts(d)
    _set_app_properties(d)
    return _package_bytes(d, zipfile.ZIP_STORED)


class _DeterministicZip:
    """python-docx's physical package writer (``write(pack_uri, blob)``, ``close()``) over
    a zip with fixed timestamps and attributes, entries in python-docx's order. Writing
    the package once, instead of rewriting python-docx's own zip, halves the compression
    (the embedded fonts are most of it)."""

    def __init__(self, method: int = zipfile.ZIP_DEFLATED) -> None:
        self.method = method
        self.when = _zip_time()
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w")

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.when)
        info.compress_type = self.method
        info.create_system = 0  # ZipInfo's default depends on the OS
        info.external_attr = 0
        # The embedded fonts are most of the bytes: glyph outlines gain 6% from level 6
        # over level 1 for 2.5 times the time (25 ms a DOCX); the XML parts take 6.
        level = 1 if pack_uri.membername.startswith("word/fonts/") else 6
        self.zip.writestr(info, blob, compresslevel=level)

    def close(self) -> None:
        self.zip.close()


def _package_bytes(d: Any, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``d`` saved as ``OpcPackage.save`` does, through ``_DeterministicZip``. python-docx
    has no public way to choose the zip writer; its PackageWriter's three steps are used
    as they are (every DOCX test reads the result back)."""
    package = d.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = _DeterministicZip(method)
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    out.close()
    return out.buffer.getvalue()


# --- the document -----------------------------------------------------------------------


def _style_for(block: Any, front: bool) -> str:
    """The paragraph style of ``block``; ``front`` is True while the blocks are still the
    front matter under the title (subtitle, speaker, addressee)."""
    if block.kind == "heading":
        return f"Heading {min(max(block.level, 1), 4)}"
    if block.kind == "note":
        return NOTE_STYLE
    kind = P.front_matter_kind(block.text)
    if kind == "salutation":
        return SALUTATION_STYLE
    if front and kind == "subtitle":
        return SUBTITLE_STYLE
    if front and kind == "signature":
        return SPEAKER_STYLE
    if front and kind == "date":
        return DATE_STYLE
    return "Normal"


_FOLIO_TEXT = "— 0123456789"  # "— 12 —"


def docx_bytes(doc: Document, toc: bool = False) -> bytes:
    """The DOCX edition of ``doc`` as bytes (byte-identical for the same input).

    ``toc``: put a table-of-contents field (filled by Word when it opens the file) under
    the date line; a 公文 has none, so only when asked for."""
    lang = word_language(doc.meta.get("language"))
    fonts = _fonts_for(lang)
    d = docx.Document(io.BytesIO(_template(lang)))
    _set_core_properties(d, doc, lang)

    names = ("Title", "Normal", NOTE_STYLE, DATE_STYLE, SUBTITLE_STYLE, SPEAKER_STYLE, SALUTATION_STYLE,
             *(f"Heading {n}" for n in range(1, 5)))
    style_ids = {name: d.styles[name].style_id for name in names}
    face_of = {"Title": fonts.title, "Heading 1": fonts.heading1, "Heading 2": fonts.kai, NOTE_STYLE: fonts.kai,
               DATE_STYLE: fonts.kai}
    # The characters each face sets, for subsetting; every character may also fall to the
    # Latin face (digits, letters), and the folio's to the 宋 face.
    used: dict[Face, set[str]] = {fonts.folio: set(_FOLIO_TEXT), fonts.latin: set(_FOLIO_TEXT)}

    def add(text: str, style_name: str) -> Any:
        # python-docx's add_paragraph(style=...) scans every style of the template to see
        # whether it is the default one; setting w:pStyle directly costs nothing. Normal
        # is the default paragraph style, so its paragraphs carry no w:pStyle at all.
        p = d.add_paragraph(text)
        if style_name != "Normal":
            p._p.style = style_ids[style_name]
        used.setdefault(face_of.get(style_name, fonts.body), set()).update(text)
        used[fonts.latin].update(text)
        return p

    # The masthead: title, date, subtitle, speaker. Its last paragraph is followed by one
    # blank grid line (GB/T 9704 7.3.3: 主送机关 one line below the title), whichever it is.
    masthead: list[Any] = []

    if doc.title:
        masthead.append(add(_safe(doc.title), "Title"))
    if doc.date_line():  # only a date the site gave, marked as the editor's
        masthead.append(add(_safe(doc.date_line()), DATE_STYLE))
    if toc and any(b.kind == "heading" and b.text and b.level <= 3 for b in doc.blocks):
        _add_toc(d)
    front = True
    for block in doc.blocks:
        if block.text:  # doc.text_lines() skips empty blocks too
            style_name = _style_for(block, front)
            front = front and style_name in (SUBTITLE_STYLE, SPEAKER_STYLE, DATE_STYLE)
            p = add(_safe(block.text), style_name)
            if front:
                masthead.append(p)
    if masthead:
        _child(masthead[-1]._p.get_or_add_pPr(), "w:spacing", after=str(LINE_PITCH))
    _embed_fonts(d, fonts, used)

    return _package_bytes(d)
