"""Printable documents: a Typst layout filled with an app's data, printed to a tagged A4 PDF.

One engine for every printed form (the newsletter, a disaster's 第N報): Typst, through its Python
package. The data goes in as JSON (`sys.inputs.data`) and the layout reads it as data, so what a
person wrote is printed as written and never read as markup. Fonts are Debian's Noto CJK
(PDF_FONT_PATHS), embedded as subsets; the document is checked against PDF/UA-1 while it is made.
Images are copied beside the layout first: Typst reads nothing outside that folder, nothing over
the network.
"""

import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings


class PdfError(RuntimeError):
    """A document could not be printed."""


def _fonts() -> list[str]:
    folders = [folder for folder in settings.PDF_FONT_PATHS if any(Path(folder).glob("*CJK*"))]
    if not folders:  # Typst would print every Japanese character as a blank box
        raise PdfError("日本語フォントが見つかりません。Debianの fonts-noto-cjk を入れるか、PDF_FONT_PATHS を設定してください。")
    return folders


def render(layout: Path, data: dict, *, images: dict[str, bytes] | None = None) -> bytes:
    """`layout` (a .typ file) printed with `data`; `images` maps a relative file name the data
    mentions to its bytes."""
    import typst

    fonts = _fonts()
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
        try:
            return typst.compile(str(main), root=str(root), font_paths=fonts,
                                 ignore_system_fonts=True, pdf_standards=["ua-1"],
                                 sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
        except RuntimeError as error:
            raise PdfError(str(error)) from error
