"""Japanese mail as Windows writes it. Outlook and other Windows clients label mail ISO-2022-JP
or Shift_JIS but write Windows' characters (CP50220 / CP932): ①, ㈱, Ⅲ, ㌔ — which Python's
codecs for those labels refuse, so a reply with 「①」 in it would not be read at all. Such a body
is read as Windows does: ISO-2022-JP's JIS X 0208 pairs turned into Shift_JIS (the same arithmetic
for both, JIS X 0208 → Shift_JIS, that CP50220's registration names) and decoded as CP932.
"""

ISO_2022_JP = {"iso-2022-jp", "iso2022-jp", "iso_2022_jp", "csiso2022jp", "cp50220", "cp50221", "cp50222",
               "iso-2022-jp-ms"}
SHIFT_JIS = {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932"}


def _jis_to_shift_jis(first: int, second: int) -> bytes:
    lead = ((first + 1) >> 1) + (0x70 if first < 0x5F else 0xB0)
    if first & 1:
        trail = second + (0x1F if second < 0x60 else 0x20)
    else:
        trail = second + 0x7E
    return bytes((lead, trail))


def iso_2022_jp_windows(data: bytes) -> str:
    """ISO-2022-JP as Windows writes it (CP50220/50221: NEC and IBM extensions, half-width kana
    after ESC ( I or SO); each line starts in ASCII, as RFC 1468 has it."""
    out, text, mode, n, i = bytearray(), [], "ascii", len(data), 0
    while i < n:
        byte = data[i]
        if byte == 0x1B:
            escape = data[i + 1:i + 3]
            if escape in (b"$B", b"$@"):
                mode, i = "jis", i + 3
                continue
            if escape in (b"(B", b"(J"):
                mode, i = ("roman" if escape == b"(J" else "ascii"), i + 3
                continue
            if escape == b"(I":
                mode, i = "kana", i + 3
                continue
        if byte == 0x0E or byte == 0x0F:  # shift out to half-width kana, and back
            mode, i = ("kana" if byte == 0x0E else "ascii"), i + 1
            continue
        if byte in (0x0A, 0x0D):
            mode = "ascii"
            out.append(byte)
        elif mode == "jis" and 0x21 <= byte <= 0x7E and i + 1 < n and 0x21 <= data[i + 1] <= 0x7E:
            out += _jis_to_shift_jis(byte, data[i + 1])
            i += 2
            continue
        elif mode == "kana" and 0x21 <= byte <= 0x5F:
            out.append(byte + 0x80)
        elif mode == "roman" and byte in (0x5C, 0x7E):  # JIS X 0201's yen sign and overline: not CP932's
            text.append(bytes(out).decode("cp932", errors="replace") + ("¥" if byte == 0x5C else "‾"))
            out.clear()
        else:
            out.append(byte)
        i += 1
    return "".join(text) + bytes(out).decode("cp932", errors="replace")


def decode(data: bytes, charset: str) -> str | None:
    """A Japanese body by its label: the label's own codec when it reads the bytes whole, else
    Windows' reading; None for any other label (the email package reads those)."""
    label = charset.strip().lower()
    if label in ISO_2022_JP:
        try:
            return data.decode("iso-2022-jp")
        except UnicodeDecodeError:
            return iso_2022_jp_windows(data)
    if label in SHIFT_JIS:
        try:
            return data.decode("shift_jis")
        except UnicodeDecodeError:
            return data.decode("cp932", errors="replace")
    return None
