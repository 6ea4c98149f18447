"""Printable documents: a Typst layout filled with an app's data, printed to a tagged A4 PDF.

One engine for every printed form (the newsletter, a disaster's 第N報): Typst, through its Python
package. The data goes in as JSON (`sys.inputs.data`) and the layout reads it as data, so what a
person wrote is printed as written and never read as markup. Fonts are Debian's Noto fonts
(PDF_FONT_PATHS), embedded as subsets; the document is checked against PDF/UA-1 while it is made.
Images are copied beside the layout first: Typst reads nothing outside that folder, nothing over
the network.

Whatever a person typed prints (`printable`): characters the Japanese font lacks are drawn by the
other Noto fonts (fonts-noto-core: Thai, Arabic, Devanagari …; fonts-noto-color-emoji), control
characters are left out, and a character no font has prints as 〓 (the 下駄記号 Japanese printing
uses for a missing glyph). Nothing typed can stop a document from being printed.
"""

import functools
import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from django.conf import settings

# Printed where no font has the character.
MISSING = "〓"
# Never printed: C0 and C1 controls other than line breaks and tabs, U+FEFF (refused by PDF/UA)
# and the interlinear annotation marks.
_LEFT_OUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufff9-\ufffb]")
# Kept although a font may have no glyph for them: they change how their neighbours are drawn
# (joiners, variation selectors, bidirectional marks, soft hyphens, combining marks).
_SHAPING = {"Cf", "Mn", "Me"}
# Typst's word for a character it could not print; the document is printed again without it.
_REFUSED = re.compile(r'(?:the text|codepoint) `"(?:\\u\{([0-9a-f]+)\}|(.))')
_RETRIES = 16


class PdfError(RuntimeError):
    """A document could not be printed."""


def _fonts() -> list[str]:
    folders = [folder for folder in settings.PDF_FONT_PATHS if Path(folder).is_dir()]
    if not any(any(Path(folder).glob("*CJK*")) for folder in folders):
        # Typst would print every Japanese character as a blank box
        raise PdfError("日本語フォントが見つかりません。Debianの fonts-noto-cjk を入れるか、PDF_FONT_PATHS を設定してください。")
    return folders


@functools.cache
def _covered(folders: tuple[str, ...]) -> frozenset[int]:
    """Every character some font in `folders` draws (the regular weights; bold ones draw the same)."""
    from fontTools.ttLib import TTCollection, TTFont

    characters: set[int] = set()
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if "Bold" in path.name or "Italic" in path.name or path.name.startswith("NotoSerif"):
                continue
            if path.suffix == ".ttc":
                for font in TTCollection(str(path), lazy=True).fonts:
                    characters.update(font.getBestCmap() or ())
            elif path.suffix in (".ttf", ".otf"):
                characters.update(TTFont(str(path), lazy=True).getBestCmap() or ())
    return frozenset(characters)


def printable(text: str, covered: frozenset[int] | None = None) -> str:
    """`text` as it can be printed: line breaks as "\\n", controls left out, characters no font
    draws as 〓."""
    if covered is None:
        covered = _covered(tuple(_fonts()))
    typed = text
    text = _LEFT_OUT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = "".join(
        character if ord(character) in covered or character in "\n\t " or unicodedata.category(character) in _SHAPING
        else MISSING
        for character in text)
    if typed.strip() and not any(not c.isspace() and unicodedata.category(c) not in _SHAPING for c in kept):
        return MISSING  # something was typed, nothing of it shows: a mark, not an empty heading
    return kept


def _printable_data(value, covered):
    if isinstance(value, str):
        return printable(value, covered)
    if isinstance(value, dict):
        return {key: _printable_data(item, covered) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable_data(item, covered) for item in value]
    return value


def _without(value, refused: str):
    if isinstance(value, str):
        return value.replace(refused, MISSING)
    if isinstance(value, dict):
        return {key: _without(item, refused) for key, item in value.items()}
    if isinstance(value, list):
        return [_without(item, refused) for item in value]
    return value


def render(layout: Path, data: dict, *, images: dict[str, bytes] | None = None) -> bytes:
    """`layout` (a .typ file) printed with `data`; `images` maps a relative file name the data
    mentions to its bytes. Every text in `data` is printed as `printable` makes it."""
    import typst

    fonts = _fonts()
    data = _printable_data(data, _covered(tuple(fonts)))
    with tempfile.TemporaryDirectory(prefix="renkei-print-") as folder:
        root = Path(folder)
        main = root / "main.typ"
        shutil.copyfile(layout, main)
        for name, content in (images or {}).items():
            target = (root / name).resolve()
            if root.resolve() not in target.parents:
                raise PdfError(f"an image outside the document: {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        for _ in range(_RETRIES):
            try:
                return typst.compile(str(main), root=str(root), font_paths=fonts,
                                     ignore_system_fonts=True, pdf_standards=["ua-1"],
                                     sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
            except RuntimeError as error:
                # A character the fonts list but cannot shape here: printed as 〓 instead.
                refused = _REFUSED.search(str(error))
                if not refused:
                    raise PdfError(str(error)) from error
                character = chr(int(refused[1], 16)) if refused[1] else refused[2]
                if character == MISSING:
                    raise PdfError(str(error)) from error
                data = _without(data, character)
        raise PdfError("印刷できない文字が多すぎます。")
