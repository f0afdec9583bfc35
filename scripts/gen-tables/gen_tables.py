#!/usr/bin/env python3
"""Generate Sources/MarkgateCore/Generated/UnicodeFoldData.swift.

Python 3.11, standard library only. Normally run through `scripts/gen-tables/run`,
which installs the inputs, builds the ICU skeleton helper and calls:

    gen_tables.py --skeleton scripts/gen-tables/skeleton \
                  --output Sources/MarkgateCore/Generated/UnicodeFoldData.swift

Inputs
  * /usr/share/unicode (Debian `unicode-data`, Unicode 15.0.0): UnicodeData.txt
    (assigned scalars, general category, decompositions of scalars that Python's
    older unicodedata does not know), DerivedCoreProperties.txt
    (Default_Ignorable_Code_Point), CaseFolding.txt (full case folding, status C+F),
    Scripts.txt, Unihan_Variants.txt.bz2 (kSimplifiedVariant).
  * Python `unicodedata` (Unicode 14.0.0 in Python 3.11): NFKC / NFD / NFC.
  * ICU (libicu, 72.x) confusable skeletons through the C helper `skeleton`.

For every non-ASCII assigned scalar c (surrogates and private use skipped):
  1. remove: Default_Ignorable_Code_Point, or a combining diacritical mark in
     U+0300-036F, 1AB0-1AFF, 1DC0-1DFF, 20D0-20FF, FE20-FE2F.
  2. t = NFKC(casefold(NFKC(c))); then NFD, drop Mn marks that follow a Latin,
     Greek or Cyrillic base, NFC. Scalars of t that step 1 would remove are
     dropped as well, so that the table is idempotent (e.g. U+00A8 DIAERESIS is
     NFKC <space, U+0308> and ends up a plain separator).
  3. homoglyph: every scalar of t that is non-ASCII, L* or N*, and not Han,
     Hiragana, Katakana, Hangul or Bopomofo, is replaced by casefold(skeleton)
     when that is non-empty and only [a-z0-9].
  4. traditional: if t is one Han scalar with a kSimplifiedVariant that does not
     list the scalar itself, t = its first kSimplifiedVariant.
  5. separator: if every scalar of t (after step 2) is Z*, Cc, P*, Sk, Sm or So
     (Sc is kept), c is a separator. In other mapping outputs, separator-category
     scalars become U+0020.
  6. t == c: no line.
Plus kana composition lines `k B M C` for NFC(B + M) == C, M in {U+3099, U+309A}.
"""

from __future__ import annotations

import argparse
import bz2
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict

UCD_DIR = "/usr/share/unicode"
EXPECTED_UNICODE = "15.0.0"

COMBINING_RANGES = [
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
]
STRIP_BASE_SCRIPTS = {"Latin", "Greek", "Cyrillic"}
NO_HOMOGLYPH_SCRIPTS = {"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"}
SEPARATOR_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sk", "Sm", "So"}
KANA_MARKS = (0x3099, 0x309A)
KIND_ORDER = ["n", "h", "t", "r", "s", "k"]  # the order the format documentation lists them in


def fail(msg: str) -> None:
    print(f"gen_tables.py: error: {msg}", file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------- UCD readers


def ucd_path(name: str) -> str:
    return os.path.join(UCD_DIR, name)


def file_version(name: str) -> str:
    """Version from the `# Name-15.0.0.txt` first line of a UCD file."""
    with open(ucd_path(name), encoding="utf-8") as f:
        first = f.readline()
    m = re.match(r"#\s*\S+-(\d+\.\d+\.\d+)\.txt", first)
    if not m:
        fail(f"cannot read the Unicode version from the first line of {name}: {first!r}")
    return m.group(1)


def read_unicode_data():
    """Return (category, decomposition, name) dicts for every assigned code point."""
    category: dict[int, str] = {}
    decomposition: dict[int, str] = {}
    names: dict[int, str] = {}
    range_start = None
    with open(ucd_path("UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            if len(fields) != 15:
                fail(f"UnicodeData.txt: unexpected line {line!r}")
            cp = int(fields[0], 16)
            name, gc, decomp = fields[1], fields[2], fields[5]
            if name.endswith(", First>"):
                range_start = (cp, name[1:-len(", First>")], gc)
                continue
            if name.endswith(", Last>"):
                if range_start is None or range_start[2] != gc:
                    fail(f"UnicodeData.txt: unmatched range end {line!r}")
                lo, base_name, _ = range_start
                for x in range(lo, cp + 1):
                    category[x] = gc
                    names[x] = f"{base_name}-{x:04X}"
                range_start = None
                continue
            category[cp] = gc
            names[cp] = name
            if decomp:
                decomposition[cp] = decomp
    return category, decomposition, names


def read_property_ranges(name: str, wanted: str | None = None) -> dict[int, str]:
    """Parse a `LO..HI ; Value # comment` file into {cp: value}."""
    out: dict[int, str] = {}
    with open(ucd_path(name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            rng, value = [p.strip() for p in line.split(";")[:2]]
            if wanted is not None and value != wanted:
                continue
            if ".." in rng:
                lo, hi = (int(x, 16) for x in rng.split(".."))
            else:
                lo = hi = int(rng, 16)
            for cp in range(lo, hi + 1):
                out[cp] = value
    return out


def read_case_folding() -> dict[int, str]:
    """Full case folding (statuses C and F) from CaseFolding.txt."""
    fold: dict[int, str] = {}
    with open(ucd_path("CaseFolding.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            code, status, mapping = [p.strip() for p in line.split(";")[:3]]
            if status in ("C", "F"):
                fold[int(code, 16)] = "".join(chr(int(x, 16)) for x in mapping.split())
    return fold


def read_simplified_variants() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    with bz2.open(ucd_path("Unihan_Variants.txt.bz2"), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, value = line.rstrip("\n").split("\t")
            if field != "kSimplifiedVariant":
                continue
            values = [int(v.split("<", 1)[0][2:], 16) for v in value.split()]
            out[int(cp[2:], 16)] = values
    return out


# --------------------------------------------------------------------------- ICU skeletons


def icu_skeletons(helper: str, cps: list[int]) -> tuple[str, dict[int, str]]:
    data = "".join(f"{cp:04X}\n" for cp in cps)
    proc = subprocess.run([helper], input=data, capture_output=True, text=True, encoding="ascii")
    if proc.returncode != 0:
        fail(f"{helper} exited with {proc.returncode}: {proc.stderr.strip()}")
    lines = proc.stdout.split("\n")
    if not lines or not lines[0].startswith("#ICU\t"):
        fail(f"{helper}: missing version line")
    version = lines[0].split("\t", 1)[1]
    skel: dict[int, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        cp_hex, seq = line.split("\t")
        skel[int(cp_hex, 16)] = "".join(chr(int(x, 16)) for x in seq.split())
    if set(skel) != set(cps):
        fail(f"{helper}: asked for {len(cps)} skeletons, got {len(skel)}")
    return version, skel


# --------------------------------------------------------------------------- the fold


class Folder:
    def __init__(self) -> None:
        self.category, self.decomposition, self.names = read_unicode_data()
        self.ignorable = set(read_property_ranges("DerivedCoreProperties.txt", "Default_Ignorable_Code_Point"))
        self.casefold_map = read_case_folding()
        self.script = read_property_ranges("Scripts.txt")
        self.simplified = read_simplified_variants()
        self.traditional_chains: list[list[int]] = []
        self._traditional_memo: dict[int, int | None] = {}
        # Scalars assigned in the UCD files but unknown to Python's (older) unicodedata:
        # their decompositions must come from UnicodeData.txt.
        self.newer_than_python = {
            cp for cp in self.category
            if self.category[cp] not in ("Cs", "Co") and unicodedata.category(chr(cp)) == "Cn"
        }
        for cp in sorted(self.newer_than_python):
            d = self.decomposition.get(cp)
            if d and not d.startswith("<"):
                # A new canonical decomposition would also mean a new composition,
                # which a per-scalar pre-expansion cannot reproduce.
                fail(f"U+{cp:04X} is new in the UCD and has a canonical decomposition; "
                     "Python's unicodedata cannot normalize it")

    # -- properties
    def gc(self, cp: int) -> str:
        return self.category.get(cp, "Cn")

    def is_removable(self, cp: int) -> bool:
        return cp in self.ignorable or any(lo <= cp <= hi for lo, hi in COMBINING_RANGES)

    def is_separator_cat(self, cp: int) -> bool:
        return self.gc(cp) in SEPARATOR_CATEGORIES

    def name(self, cp: int) -> str:
        return self.names.get(cp, f"U+{cp:04X}")

    # -- normalization helpers
    def expand_new(self, s: str) -> str:
        """Apply UnicodeData.txt decompositions of scalars Python does not know (recursively)."""
        if not any(ord(ch) in self.newer_than_python for ch in s):
            return s
        out = []
        for ch in s:
            cp = ord(ch)
            d = self.decomposition.get(cp) if cp in self.newer_than_python else None
            if d:
                parts = [p for p in d.split() if not p.startswith("<")]
                out.append(self.expand_new("".join(chr(int(p, 16)) for p in parts)))
            else:
                out.append(ch)
        return "".join(out)

    def nfkc(self, s: str) -> str:
        return unicodedata.normalize("NFKC", self.expand_new(s))

    def casefold(self, s: str) -> str:
        return "".join(self.casefold_map.get(ord(ch), ch) for ch in s)

    def strip_diacritics(self, s: str) -> str:
        out = []
        base_script = None
        for ch in unicodedata.normalize("NFD", s):
            cp = ord(ch)
            gc = self.gc(cp)
            if gc.startswith("M"):
                if gc == "Mn" and base_script in STRIP_BASE_SCRIPTS:
                    continue
            else:
                base_script = self.script.get(cp)
            out.append(ch)
        return unicodedata.normalize("NFC", "".join(out))

    def step2(self, c: str) -> str:
        t = self.nfkc(c)
        t = self.casefold(t)
        t = self.nfkc(t)
        t = self.strip_diacritics(t)
        return "".join(ch for ch in t if not self.is_removable(ord(ch)))

    def homoglyph_candidate(self, cp: int) -> bool:
        return (cp >= 0x80 and self.gc(cp)[0] in "LN"
                and self.script.get(cp, "Unknown") not in NO_HOMOGLYPH_SCRIPTS)

    def traditional_target(self, cp: int) -> int | None:
        """First kSimplifiedVariant of a Han scalar that is not also its own simplified form.

        Followed to a fixed point: U+85B4 -> U+82E7 is itself traditional for U+82CE, and
        the table must not produce a scalar that maps again.
        """
        if cp in self._traditional_memo:
            return self._traditional_memo[cp]
        seen = [cp]
        while True:
            cur = seen[-1]
            variants = self.simplified.get(cur) if self.script.get(cur) == "Han" else None
            if not variants or cur in variants:
                break
            if variants[0] in seen:
                fail(f"kSimplifiedVariant cycle: {' -> '.join(f'U+{x:04X}' for x in seen + [variants[0]])}")
            seen.append(variants[0])
        if len(seen) > 2:
            self.traditional_chains.append(seen)
        result = seen[-1] if len(seen) > 1 else None
        self._traditional_memo[cp] = result
        return result


# --------------------------------------------------------------------------- table building


def hexs(cps) -> str:
    return ",".join(f"{cp:X}" for cp in cps)


def build(folder: Folder, skeleton_helper: str):
    sources = sorted(
        cp for cp, gc in folder.category.items()
        if cp >= 0x80 and gc not in ("Cs", "Co")
    )

    removed: list[int] = []
    step2: dict[int, str] = {}
    for cp in sources:
        if folder.is_removable(cp):
            removed.append(cp)
        else:
            step2[cp] = folder.step2(chr(cp))

    # Step 3 looks at a letter as written, before case folding: Cyrillic `Н` looks like `H` while its
    # folded `н` has no Latin skeleton. Order of preference for a scalar of the folded output: the source
    # as written (when it folds to that one scalar), then the folded scalar, then its upper case. The
    # fallback keeps both cases of the small-capital look-alikes (`Н`/`н`, `В`/`в`, `К`/`к`) on one letter.
    def looks(cp: int, ch: str) -> list[int]:
        order = []
        written = folder.nfkc(chr(cp))
        if len(written) == 1 and len(step2[cp]) == 1:
            order.append(ord(written))
        order.append(ord(ch))
        upper = ch.upper()
        if len(upper) == 1:
            order.append(ord(upper))
        return [x for x in order if folder.homoglyph_candidate(x)]

    candidates = sorted({x for cp, t in step2.items() for ch in t for x in looks(cp, ch)})
    ascii_letters = [ord(ch) for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]
    icu_version, skeletons = icu_skeletons(skeleton_helper, candidates + ascii_letters)
    # A skeleton names a class of look-alikes by one member (ICU's skeleton of `I` is `l`). Read it back
    # through the ASCII letters of the same case: a capital whose skeleton is that of `I` looks like `I`.
    ascii_upper = {skeletons[x]: chr(x).lower() for x in reversed(ascii_letters[:26])}
    ascii_lower = {skeletons[x]: chr(x) for x in reversed(ascii_letters[26:])}
    latin_skeleton: dict[int, str] = {}
    skeleton_rejected: dict[int, str] = {}
    for cp in candidates:
        raw = skeletons[cp]
        same_case = ascii_upper if folder.gc(cp) == "Lu" else ascii_lower
        sk = same_case.get(raw) or folder.casefold(raw)
        if sk and all(ch in "abcdefghijklmnopqrstuvwxyz0123456789" for ch in sk):
            latin_skeleton[cp] = sk
        elif sk != chr(cp):
            skeleton_rejected[cp] = sk

    def homoglyph_of(cp: int, ch: str) -> str:
        for x in looks(cp, ch):
            if x in latin_skeleton:
                return latin_skeleton[x]
        return ch

    homoglyph: dict[int, str] = {
        ord(ch): homoglyph_of(ord(ch), ch) for t in step2.values() for ch in t
        if ord(ch) in step2 and homoglyph_of(ord(ch), ch) != ch
    }

    entries: dict[int, tuple[str, list[int]]] = {}   # cp -> (kind, dst scalars) for n/h/t
    separators: list[int] = []
    for cp, t in step2.items():
        if t == "":
            removed.append(cp)          # only combining marks / ignorables after NFKC
            continue
        if all(folder.is_separator_cat(ord(ch)) for ch in t):
            separators.append(cp)
            continue
        h = "".join(homoglyph_of(cp, ch) for ch in t)
        kind = "n"
        if h != t:
            kind = "h"
        elif len(t) == 1 and folder.traditional_target(ord(t)) is not None:
            h = chr(folder.traditional_target(ord(t)))
            kind = "t"
        if h == chr(cp):
            continue
        dst = [0x20 if folder.is_separator_cat(ord(ch)) else ord(ch) for ch in h]
        entries[cp] = (kind, dst)
    removed.sort()

    kana: list[tuple[int, int, int]] = []
    for cp in sorted(folder.category):
        if folder.gc(cp) in ("Cs", "Co", "Cn") or folder.script.get(cp) not in ("Hiragana", "Katakana"):
            continue
        for mark in KANA_MARKS:
            composed = unicodedata.normalize("NFC", chr(cp) + chr(mark))
            if len(composed) == 1:
                kana.append((cp, mark, ord(composed)))

    return {
        "entries": entries, "removed": removed, "separators": separators, "kana": kana,
        "icu_version": icu_version, "skeletons": skeletons, "homoglyph": homoglyph,
        "skeleton_rejected": skeleton_rejected, "step2": step2,
    }


def ranges(cps: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in cps:
        if out and out[-1][1] + 1 == cp:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def render_lines(table) -> list[str]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for cp in sorted(table["entries"]):
        kind, dst = table["entries"][cp]
        by_kind[kind].append(f"{kind} {cp:04X} {hexs(dst)}")
    for kind, cps in (("r", table["removed"]), ("s", table["separators"])):
        for lo, hi in ranges(cps):
            by_kind[kind].append(f"{kind} {lo:04X}" if lo == hi else f"{kind} {lo:04X}-{hi:04X}")
    for base, mark, composed in table["kana"]:
        by_kind["k"].append(f"k {base:04X} {mark:04X} {composed:04X}")
    return [line for kind in KIND_ORDER for line in by_kind[kind]]


def render_swift(lines: list[str], unicode_version: str, icu_version: str, python_unicode: str) -> str:
    for line in lines:
        if "\\" in line or '"' in line or not re.fullmatch(r"[a-z] [0-9A-F ,-]+", line):
            fail(f"line not safe for a Swift multi-line string: {line!r}")
    body = "".join(f"    {line}\n" for line in lines)
    return (
        f"// Generated by scripts/gen-tables/run from Unicode {unicode_version} (Debian unicode-data), "
        f"Python unicodedata {python_unicode}\n"
        f"// and ICU {icu_version} confusable skeletons. Do not edit; regenerate.\n"
        f"// Categories, scripts, Default_Ignorable_Code_Point, case folding (CaseFolding.txt C+F) and\n"
        f"// kSimplifiedVariant (Unihan_Variants.txt): Unicode {unicode_version}. NFKC/NFD/NFC and kana\n"
        f"// composition: Python unicodedata {python_unicode}, plus the compatibility decompositions\n"
        f"// from UnicodeData.txt {unicode_version} for scalars newer than that. Homoglyphs: ICU {icu_version}\n"
        f"// uspoof_getSkeleton, case-folded, kept only when the result is ASCII [a-z0-9].\n"
        "enum UnicodeFoldData {\n"
        f"    static let unicodeVersion = \"{unicode_version}\"\n"
        f"    static let icuVersion = \"{icu_version}\"\n"
        "    /// One entry a line, scalars in upper-case hex without `U+`:\n"
        "    /// `n SRC DST[,DST...]` normalized (NFKC, case, width, diacritics); `h SRC DST[,DST...]` homoglyph;\n"
        "    /// `t SRC DST` traditional to simplified; `r LO[-HI]` removed; `s LO[-HI]` separator;\n"
        "    /// `k BASE MARK COMPOSED` kana composition.\n"
        "    static let lines = \"\"\"\n"
        f"{body}"
        "    \"\"\"\n"
        "}\n"
    )


# --------------------------------------------------------------------------- checks


class Lookup:
    """Answer questions the way the Swift side will read the table."""

    def __init__(self, lines: list[str]):
        self.map: dict[int, tuple[str, list[int]]] = {}
        self.kana: set[tuple[int, int, int]] = set()
        for line in lines:
            kind, rest = line.split(" ", 1)
            if kind in "nht":
                src, dst = rest.split(" ")
                self.add(int(src, 16), (kind, [int(x, 16) for x in dst.split(",")]))
            elif kind in "rs":
                lo, _, hi = rest.partition("-")
                for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
                    self.add(cp, (kind, []))
            elif kind == "k":
                self.kana.add(tuple(int(x, 16) for x in rest.split(" ")))
            else:
                fail(f"unknown kind in {line!r}")

    def add(self, cp: int, value) -> None:
        if cp < 0x80:
            fail(f"ASCII scalar U+{cp:04X} in the table")
        if cp in self.map:
            fail(f"U+{cp:04X} has two lines")
        self.map[cp] = value

    def get(self, cp: int):
        return self.map.get(cp)


def spot_checks(look: Lookup) -> None:
    def expect(cp: int, kind: str | None, dst: list[int] | None = None) -> None:
        got = look.get(cp)
        want = None if kind is None else (kind, dst if dst is not None else [])
        if got != want:
            fail(f"spot check U+{cp:04X} {chr(cp)!r}: expected {want}, got {got}")

    expect(0xFF2E, "n", [0x6E])            # Ｎ
    expect(0xFF49, "n", [0x69])            # ｉ
    expect(0x00C9, "n", [0x65])            # É
    expect(0x00E9, "n", [0x65])            # é
    expect(0xFB01, "n", [0x66, 0x69])      # ﬁ
    expect(0x00DF, "n", [0x73, 0x73])      # ß
    expect(0xFF76, "n", [0x30AB])          # ｶ
    expect(0x2460, "n", [0x31])            # ①
    expect(0x00BD, "n", [0x31, 0x20, 0x32])  # ½ (FRACTION SLASH is Sm)
    expect(0x0410, "h", [0x61])            # Cyrillic А
    expect(0x0430, "h", [0x61])            # Cyrillic а
    expect(0x041D, "h", [0x68])            # Cyrillic Н looks like H, not like its folded н
    expect(0x043D, "h", [0x68])            # Cyrillic н, through its upper case
    expect(0x0412, "h", [0x62])            # Cyrillic В
    expect(0x0421, "h", [0x63])            # Cyrillic С
    expect(0x0405, "h", [0x73])            # Cyrillic Ѕ
    expect(0x039D, "h", [0x6E])            # Greek Ν looks like N
    expect(0x0399, "h", [0x69])            # Greek Ι looks like I (ICU's skeleton of I is l)
    expect(0x0406, "h", [0x69])            # Cyrillic І
    expect(0x0456, "h", [0x69])            # Cyrillic і
    expect(0x043E, "h", [0x6F])            # Cyrillic о
    expect(0x039F, "h", [0x6F])            # Greek Ο
    expect(0x03BF, "h", [0x6F])            # Greek ο
    expect(0x5152, "t", [0x513F])          # 兒 -> 儿
    expect(0x904B, "t", [0x8FD0])          # 運 -> 运
    expect(0x4E7E, None)                   # 乾 is its own simplified form too
    expect(0x8457, None)                   # 著 likewise
    expect(0x5948, None)                   # 奈
    expect(0x200B, "r")                    # ZERO WIDTH SPACE
    expect(0x200C, "r")                    # ZWNJ
    expect(0x200D, "r")                    # ZWJ
    expect(0x00AD, "r")                    # SOFT HYPHEN
    expect(0x2060, "r")                    # WORD JOINER
    expect(0xFEFF, "r")                    # BOM
    expect(0xFE0F, "r")                    # VARIATION SELECTOR-16
    expect(0x0301, "r")                    # COMBINING ACUTE ACCENT
    expect(0x3002, "s")                    # 。
    expect(0x3001, "s")                    # 、
    expect(0x3000, "s")                    # IDEOGRAPHIC SPACE
    expect(0x00A0, "s")                    # NO-BREAK SPACE
    expect(0x2122, "n", [0x74, 0x6D])      # ™
    expect(0x00AE, "s")                    # ®
    expect(0x20AC, None)                   # € (currency symbols are kept)
    expect(0xFF8F, "n", [0x30DE])          # ﾏ
    expect(0xFF6F, "n", [0x30C3])          # ｯ
    expect(0xFF9E, "n", [0x3099])          # ﾞ
    expect(0xFF9F, "n", [0x309A])          # ﾟ
    expect(0x3099, None)                   # combining voiced mark: neither removed nor separator
    expect(0x309A, None)
    expect(0x30AB, None)                   # カ
    for triple in ((0x30AB, 0x3099, 0x30AC), (0x304B, 0x3099, 0x304C),
                   (0x30CF, 0x309A, 0x30D1), (0x30A6, 0x3099, 0x30F4)):
        if triple not in look.kana:
            fail("spot check: missing kana line k %04X %04X %04X" % triple)
    for triple in look.kana:
        for cp in triple:
            if look.get(cp) is not None:
                fail("kana line k %04X %04X %04X: U+%04X also has %s" % (*triple, cp, look.get(cp)))


def idempotency_problems(look: Lookup) -> tuple[list[str], list[str]]:
    """Every scalar a mapping produces must map to itself (ASCII, or no line).

    Sole tolerated exception: a traditional Han scalar inside a multi-scalar output
    (parenthesized / enclosed ideographs such as U+3236), because step 4 only applies
    when t is a single scalar. Those are returned separately for the report.
    """
    problems, tolerated = [], []
    for cp, (kind, dst) in sorted(look.map.items()):
        for d in dst:
            if d >= 0x80 and look.get(d) is not None:
                msg = f"{kind} {cp:04X} -> {hexs(dst)}: U+{d:04X} has {look.get(d)}"
                if len(dst) > 1 and look.get(d)[0] == "t":
                    tolerated.append(msg)
                else:
                    problems.append(msg)
    return problems, tolerated


# --------------------------------------------------------------------------- report


def describe(folder: Folder, cp: int) -> str:
    return f"U+{cp:04X} {chr(cp)} {folder.name(cp)}"


def report(folder: Folder, table, lines: list[str]) -> None:
    entries = table["entries"]
    h_entries = {cp: dst for cp, (kind, dst) in entries.items() if kind == "h"}

    print("Homoglyph examples (source -> ASCII):")
    examples = [0x0410, 0x0430, 0x0415, 0x0435, 0x041E, 0x043E, 0x0420, 0x0440, 0x0421, 0x0441,
                0x0425, 0x0445, 0x0406, 0x0456, 0x0405, 0x0455, 0x0408, 0x0458, 0x04BB, 0x0501,
                0x039F, 0x03BF, 0x039D, 0x03BD, 0x0391, 0x03B1, 0x0399, 0x03B9, 0x03A1, 0x03C1,
                0x041D, 0x0412, 0x041A, 0x041C, 0x0422, 0x0417, 0x0431, 0x13AA, 0x0555, 0x0966]
    for cp in examples:
        got = entries.get(cp)
        t = table["step2"].get(cp, chr(cp))
        if got is None:
            print(f"  {describe(folder, cp)}: no line")
        elif got[0] == "h":
            print(f"  {describe(folder, cp)} -> {''.join(map(chr, got[1]))!r}")
        else:
            sk = table["skeletons"].get(ord(t)) if len(t) == 1 else None
            extra = f" (skeleton of {t!r} is {sk!r})" if sk is not None else ""
            print(f"  {describe(folder, cp)}: {got[0]} -> {''.join(map(chr, got[1]))!r}{extra}")

    by_script = Counter(folder.script.get(cp, "Unknown") for cp in h_entries)
    print("Homoglyph lines by source script: " + ", ".join(f"{s} {n}" for s, n in by_script.most_common()))

    digit_letters = sorted(cp for cp, dst in h_entries.items()
                           if folder.gc(cp).startswith("L") and any(0x30 <= d <= 0x39 for d in dst))
    print(f"Letters mapped (partly) to ASCII digits: {len(digit_letters)}")
    for cp in digit_letters:
        if folder.script.get(cp) in STRIP_BASE_SCRIPTS:
            print(f"  {describe(folder, cp)} -> {''.join(map(chr, h_entries[cp]))!r}")
    others = [cp for cp in digit_letters if folder.script.get(cp) not in STRIP_BASE_SCRIPTS]
    if others:
        print("  (+ " + " ".join(f"{chr(cp)}->{''.join(map(chr, h_entries[cp]))}" for cp in others[:40])
              + (" ..." if len(others) > 40 else "") + ")")

    digits_to_letters = sorted(cp for cp, dst in h_entries.items()
                               if folder.gc(cp) == "Nd" and any(0x61 <= d <= 0x7A for d in dst))
    print(f"Decimal digits mapped to ASCII letters: {len(digits_to_letters)}: "
          + " ".join(f"{chr(cp)}->{''.join(map(chr, h_entries[cp]))}" for cp in digits_to_letters[:30])
          + (" ..." if len(digits_to_letters) > 30 else ""))

    multi = sorted(cp for cp in folder.category if cp >= 0x80 and len(table["step2"].get(cp, "")) > 1
                   and entries.get(cp, ("", []))[0] == "n" and 0x20 in entries[cp][1])
    print(f"n lines whose output has a separator turned into U+0020: {len(multi)} (e.g. "
          + ", ".join(f"{chr(cp)}->{''.join(map(chr, entries[cp][1]))!r}" for cp in multi[:8]) + ")")

    counts = Counter(line.split(" ", 1)[0] for line in lines)
    scalars = Counter()
    scalars.update(kind for kind, _ in entries.values())
    scalars["r"] = len(table["removed"])
    scalars["s"] = len(table["separators"])
    scalars["k"] = len(table["kana"])
    print("Counts per kind (lines / scalars):")
    for kind in KIND_ORDER:
        print(f"  {kind}: {counts[kind]} / {scalars[kind]}")
    print(f"  total lines: {len(lines)}")


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skeleton", required=True, help="path of the built skeleton helper")
    ap.add_argument("--output", required=True, help="Swift file to write")
    args = ap.parse_args()

    versions = {name: file_version(name) for name in
                ("DerivedCoreProperties.txt", "CaseFolding.txt", "Scripts.txt")}
    if set(versions.values()) != {EXPECTED_UNICODE}:
        fail(f"expected Unicode {EXPECTED_UNICODE} data files, found {versions}")
    unicode_version = EXPECTED_UNICODE
    python_unicode = unicodedata.unidata_version

    folder = Folder()
    table = build(folder, args.skeleton)
    lines = render_lines(table)
    look = Lookup(lines)
    spot_checks(look)
    problems, tolerated = idempotency_problems(look)
    if problems:
        fail("mapping outputs that would map again:\n  " + "\n  ".join(problems[:50])
             + (f"\n  ... {len(problems)} in all" if len(problems) > 50 else ""))

    text = render_swift(lines, unicode_version, table["icu_version"], python_unicode)
    if len(text.encode("utf-8")) > 1_100_000:
        fail(f"output is {len(text.encode('utf-8'))} bytes, over the ~1 MB budget")
    report(folder, table, lines)
    for chain in folder.traditional_chains:
        print("Traditional chain followed: " + " -> ".join(f"{chr(x)} U+{x:04X}" for x in chain))
    for msg in tolerated:
        print(f"Left as is (step 4 is single-scalar only): {msg}")

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".UnicodeFoldData.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    print(f"Wrote {args.output} ({len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
