#!/usr/bin/env python3
"""Generate the matcher's word and reading tables in Sources/MarkgateCore/Generated.

Python 3.11, standard library only. Normally run through `scripts/gen-tables/run`,
which installs the Debian inputs and calls:

    gen_lexicon.py --output-dir Sources/MarkgateCore/Generated

Outputs (each an `enum XxxData { static let lines = <multi-line string> }`, read by Lexicon.swift):
  * PinyinData.swift: `HEX reading[,reading...]` for every Han scalar in U+3400-4DBF and
    U+4E00-9FFF with a Unihan kMandarin value (Unihan_Readings.txt.bz2 of Debian
    `unicode-data`). Readings are toneless lower-case ASCII, u-umlaut written v
    (女 -> nv). kMandarin's readings come first, then the other readings that
    kXHC1983 (Xiandai Hanyu Cidian) lists, in its order, without repeats.
  * ChineseWordsData.swift: `word freq`, words of 2 to 4 Han scalars (same ranges) from
    jieba's dict.txt with frequency >= CHINESE_MIN_FREQ, in code point order. jieba's
    sdist is fetched with `pip download --no-deps jieba==JIEBA_VERSION` (or read from
    --jieba-archive); only its data is used, and dict.txt must have JIEBA_DICT_SHA256.
  * EnglishWordsData.swift: one word a line, from Debian `wamerican`
    (/usr/share/dict/american-english): entries of ASCII letters only, length >= 3,
    lower-cased (proper nouns included), unique, sorted.
  * EnglishProperNamesData.swift: the words of EnglishWordsData that wamerican lists only
    capitalized (`Nike`, `Chanel`), never in lower case: proper names, not everyday words.
  * ChineseProperNamesData.swift: the words of ChineseWordsData that jieba tags only as
    proper names (JIEBA_PROPER_TAGS: people, places, organisations, other proper nouns:
    耐克 nz, 华为 nr), not everyday words (苹果 n, 小米 n).
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

UCD_DIR = "/usr/share/unicode"
EXPECTED_UNICODE = "15.0.0"
HAN_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
HAN_WORD = re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF]{2,4}")

JIEBA_VERSION = "0.42.1"
JIEBA_DICT_SHA256 = "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"
CHINESE_MIN_FREQ = 28          # keeps about the 60,000 most frequent 2-4 Han words of jieba 0.42.1
CHINESE_COUNT_RANGE = (55_000, 65_000)
# jieba's part-of-speech tags for proper names: person (nr, nrfg, nrt), place (ns), organisation (nt), other (nz).
JIEBA_PROPER_TAGS = {"nr", "nrfg", "nrt", "ns", "nt", "nz"}

WORDLIST = "/usr/share/dict/american-english"
WORDLIST_PACKAGE = "wamerican"
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")

MAX_BYTES = 1_500_000

# The notices the two licences ask to be kept with copies of the data.
JIEBA_LICENSE = """\
The MIT License (MIT)

Copyright (c) 2013 Sun Junyi

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.""".split("\n")
SCOWL_LICENSE = """\
Copyright 2000-2011 by Kevin Atkinson

Permission to use, copy, modify, distribute and sell these word
lists, the associated scripts, the output created from the scripts,
and its documentation for any purpose is hereby granted without fee,
provided that the above copyright notice appears in all copies and
that both that copyright notice and this permission notice appear in
supporting documentation. Kevin Atkinson makes no representations
about the suitability of this array for any purpose. It is provided
"as is" without express or implied warranty.""".split("\n")
BRANDS_TO_REPORT = ["nike", "adidas", "chanel", "rolex", "gucci", "lego", "prada", "dior",
                    "hermes", "cartier", "puma", "reebok", "omega", "lacoste", "versace",
                    "burberry", "fendi", "armani", "tiffany", "levi", "converse", "vans",
                    "apple", "samsung", "sony", "canon", "nikon", "ray", "oakley", "lancome"]


def fail(msg: str) -> None:
    print(f"gen_lexicon.py: error: {msg}", file=sys.stderr)
    sys.exit(1)


def is_han(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


# --------------------------------------------------------------------------- pinyin


def unihan_version(path: str) -> str:
    with bz2.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*Unicode version:\s*(\S+)", line)
            if m:
                return m.group(1)
    fail(f"no `# Unicode version:` line in {path}")
    return ""


def toneless(reading: str, where: str) -> str:
    """`lǜ` -> `lv`, `xíng` -> `xing`, `ḿ` -> `m`: drop tone marks, u-umlaut -> v."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", reading):
        if "a" <= ch <= "z":
            out.append(ch)
        elif ch == "\u0308" and out and out[-1] == "u":
            out[-1] = "v"
        elif ch in "\u0300\u0301\u0304\u030C\u0302":     # tones; circumflex of ê
            continue
        else:
            fail(f"{where}: unexpected {ch!r} (U+{ord(ch):04X}) in reading {reading!r}")
    text = "".join(out)
    if not re.fullmatch(r"[a-z]+", text):
        fail(f"{where}: reading {reading!r} gives {text!r}")
    return text


def build_pinyin() -> tuple[str, list[str], dict[int, list[str]]]:
    path = os.path.join(UCD_DIR, "Unihan_Readings.txt.bz2")
    version = unihan_version(path)
    if version != EXPECTED_UNICODE:
        fail(f"expected Unihan {EXPECTED_UNICODE}, found {version}")
    mandarin: dict[int, list[str]] = {}
    xhc: dict[int, list[str]] = {}
    with bz2.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp_text, field, value = line.rstrip("\n").split("\t")
            if field not in ("kMandarin", "kXHC1983"):
                continue
            cp = int(cp_text[2:], 16)
            if not is_han(cp):
                continue
            where = f"{cp_text} {field}"
            if field == "kMandarin":
                mandarin[cp] = [toneless(r, where) for r in value.split()]
            else:
                # `0442.080:háng 0443.050:hàng 1290.030:xíng`; a location may carry `*` or a `,` list
                readings = []
                for entry in value.split():
                    loc, sep, reading = entry.partition(":")
                    if not sep or not re.fullmatch(r"[0-9.,*]+", loc):
                        fail(f"{where}: unexpected entry {entry!r}")
                    readings.append(toneless(reading, where))
                xhc[cp] = readings
    table: dict[int, list[str]] = {}
    for cp in sorted(mandarin):
        readings: list[str] = []
        for r in mandarin[cp] + xhc.get(cp, []):
            if r not in readings:
                readings.append(r)
        table[cp] = readings
    lines = [f"{cp:04X} {','.join(rs)}" for cp, rs in table.items()]
    return version, lines, table


def check_pinyin(lines: list[str]) -> dict[int, list[str]]:
    look: dict[int, list[str]] = {}
    for line in lines:
        m = re.fullmatch(r"([0-9A-F]{4,5}) ([a-z]+(?:,[a-z]+)*)", line)
        if not m:
            fail(f"pinyin line {line!r} malformed")
        cp = int(m.group(1), 16)
        readings = m.group(2).split(",")
        if cp in look or not is_han(cp) or len(set(readings)) != len(readings):
            fail(f"pinyin line {line!r}: duplicate scalar, scalar out of range or repeated reading")
        look[cp] = readings
    expected = {
        "耐": "nai", "克": "ke", "香": "xiang", "奈": "nai", "儿": "er", "劳": "lao", "力": "li",
        "士": "shi", "迈": "mai", "蒂": "di", "芙": "fu", "尼": "ni", "谷": "gu", "古": "gu",
        "驰": "chi", "兰": "lan", "蔻": "kou", "扣": "kou", "女": "nv", "绿": "lv", "一": "yi",
        "行": "xing", "乐": "le",
    }
    for ch, first in expected.items():
        got = look.get(ord(ch))
        if not got or got[0] != first:
            fail(f"pinyin spot check {ch} U+{ord(ch):04X}: expected {first!r} first, got {got}")
    for ch, also in {"行": "hang", "乐": "yue", "重": "chong"}.items():
        if also not in look.get(ord(ch), []):
            fail(f"pinyin spot check {ch}: expected the reading {also!r} among {look.get(ord(ch))}")
    return look


# --------------------------------------------------------------------------- Chinese words


def fetch_jieba(archive: str | None, tmp: str) -> str:
    if archive is None:
        spec = f"jieba=={JIEBA_VERSION}"
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
             "--quiet", "-d", tmp, spec],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            fail(f"`pip download --no-deps {spec}` failed (is PyPI reachable?):\n{proc.stderr.strip()}")
        found = [n for n in sorted(os.listdir(tmp)) if n.startswith("jieba-")]
        if len(found) != 1:
            fail(f"pip download left {found} in {tmp}")
        archive = os.path.join(tmp, found[0])
    name = os.path.basename(archive)
    if not name.startswith(f"jieba-{JIEBA_VERSION}"):
        fail(f"{archive}: expected jieba {JIEBA_VERSION}")
    return archive


def read_jieba_dict(archive: str) -> bytes:
    """dict.txt out of a jieba sdist (.tar.gz) or wheel (.whl / .zip)."""
    if archive.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z:
            names = [n for n in z.namelist() if n.endswith("jieba/dict.txt")]
            if len(names) != 1:
                fail(f"{archive}: expected one jieba/dict.txt, found {names}")
            return z.read(names[0])
    with tarfile.open(archive, "r:*") as t:
        members = [m for m in t.getmembers() if m.isfile() and m.name.endswith("jieba/dict.txt")]
        if len(members) != 1:
            fail(f"{archive}: expected one jieba/dict.txt, found {[m.name for m in members]}")
        f = t.extractfile(members[0])
        assert f is not None
        return f.read()


def build_chinese(data: bytes) -> tuple[list[str], dict[str, int], int, list[str]]:
    """The kept words' lines, every 2-4 Han word's frequency, how many were considered, and the kept words
    that every listing tags as a proper name (code point order)."""
    words: dict[str, int] = {}
    tags: dict[str, set[str]] = {}
    considered = 0
    for n, line in enumerate(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"), 1):
        parts = line.split()
        if len(parts) not in (2, 3) or not parts[1].isdigit():
            fail(f"jieba dict.txt line {n} malformed: {line!r}")
        word, freq = parts[0], int(parts[1])
        if not HAN_WORD.fullmatch(word):
            continue
        considered += 1
        if word in words and words[word] != freq:
            fail(f"jieba dict.txt: {word} listed twice with different frequencies")
        words[word] = freq
        tags.setdefault(word, set()).add(parts[2] if len(parts) == 3 else "")
    kept = {w: f for w, f in words.items() if f >= CHINESE_MIN_FREQ}
    if not CHINESE_COUNT_RANGE[0] <= len(kept) <= CHINESE_COUNT_RANGE[1]:
        fail(f"{len(kept)} Chinese words have frequency >= {CHINESE_MIN_FREQ}; "
             f"expected {CHINESE_COUNT_RANGE[0]}-{CHINESE_COUNT_RANGE[1]} (adjust CHINESE_MIN_FREQ)")
    lines = [f"{w} {kept[w]}" for w in sorted(kept)]
    proper = [w for w in sorted(kept) if tags[w] <= JIEBA_PROPER_TAGS]
    return lines, words, considered, proper


def check_chinese(lines: list[str]) -> dict[str, int]:
    look: dict[str, int] = {}
    for line in lines:
        word, _, freq = line.partition(" ")
        if not HAN_WORD.fullmatch(word) or not re.fullmatch(r"[1-9][0-9]*", freq) or word in look:
            fail(f"Chinese word line {line!r} malformed or repeated")
        look[word] = int(freq)
    for word in ["快乐", "高兴", "欢乐", "高手", "星级", "运动", "手表", "鞋子"]:
        if word not in look:
            fail(f"Chinese spot check: {word} missing")
    for word in ["耐克运", "克运", "高兴兴兴"]:
        if word in look:
            fail(f"Chinese spot check: {word} present")
    return look


# --------------------------------------------------------------------------- English words


def dpkg_version(package: str) -> str:
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout:
        fail(f"Debian package {package} is not installed (scripts/gen-tables/run installs it)")
    return proc.stdout


def build_english() -> tuple[str, list[str], int, list[str]]:
    """The package version, the words' lines, the number of entries read, and the words that are listed
    only capitalized (sorted)."""
    version = dpkg_version(WORDLIST_PACKAGE)
    words: set[str] = set()
    lower_case: set[str] = set()
    total = 0
    with open(WORDLIST, encoding="utf-8") as f:
        for line in f:
            total += 1
            w = line.rstrip("\n")
            if ENGLISH_WORD.fullmatch(w):
                words.add(w.lower())
                if w == w.lower():
                    lower_case.add(w)
    return version, sorted(words), total, sorted(words - lower_case)


def check_english(lines: list[str]) -> set[str]:
    look = set(lines)
    if len(look) != len(lines) or any(not re.fullmatch(r"[a-z]{3,}", w) for w in lines):
        fail("English word list has a repeated or malformed line")
    for word in ["bike", "logo", "channel", "carrier", "prado", "shoes", "watch", "headphones",
                 "leather", "bag"]:
        if word not in look:
            fail(f"English spot check: {word} missing")
    for word in ["ab", "xqzt", "nlke"]:
        if word in look:
            fail(f"English spot check: {word} present")
    return look


# --------------------------------------------------------------------------- proper names


def check_proper(lines: list[str], words: set[str], proper: list[str], everyday: list[str], what: str) -> None:
    if lines != sorted(set(lines)) or not set(lines) <= words:
        fail(f"{what} proper names: not sorted, repeated, or not in the word list")
    look = set(lines)
    for word in proper:
        if word not in look:
            fail(f"{what} proper-name spot check: {word} missing")
    for word in everyday:
        if word in look:
            fail(f"{what} proper-name spot check: {word} is an everyday word")


# --------------------------------------------------------------------------- Swift


def render_swift(name: str, header: list[str], doc: list[str], lines: list[str],
                 constants: list[tuple[str, str]]) -> str:
    for line in lines:
        if "\\" in line or '"' in line or "\n" in line or not line or line != line.strip():
            fail(f"{name}: line not safe for a Swift multi-line string: {line!r}")
    out = [f"// {h}".rstrip() + "\n" for h in header]
    out.append(f"enum {name} {{\n")
    for key, value in constants:
        out.append(f"    static let {key} = \"{value}\"\n")
    out.extend(f"    /// {d}\n" for d in doc)
    out.append('    static let lines = """\n')
    out.extend(f"    {line}\n" for line in lines)
    out.append('    """\n}\n')
    return "".join(out)


def write(path: str, text: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        fail(f"{path} would be {size} bytes, over the {MAX_BYTES} budget")
    out_dir = os.path.dirname(os.path.abspath(path))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    print(f"Wrote {path} ({size} bytes)")


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output-dir", required=True, help="directory for the Swift files")
    ap.add_argument("--jieba-archive", help=f"local jieba-{JIEBA_VERSION} sdist or wheel instead of pip download")
    args = ap.parse_args()

    # Pinyin
    unihan, pinyin_lines, _ = build_pinyin()
    pinyin = check_pinyin(pinyin_lines)
    multi = sum(1 for rs in pinyin.values() if len(rs) > 1)
    pinyin_swift = render_swift(
        "PinyinData",
        [f"Generated by scripts/gen-tables/run (gen_lexicon.py) from Unihan {unihan} "
         "(Debian unicode-data, Unihan_Readings.txt):",
         "kMandarin readings, then further kXHC1983 readings, of U+3400-4DBF and U+4E00-9FFF.",
         "Unicode data: Copyright Unicode, Inc.; Unicode data files licence (https://www.unicode.org/license.txt).",
         "Do not edit; regenerate."],
        ["One Han scalar a line: upper-case hex without `U+`, a space, its toneless lower-case pinyin",
         "readings separated by `,`, most common first; u-umlaut is `v` (`5973 nv`, `884C xing,hang,...`)."],
        pinyin_lines, [("unihanVersion", unihan)])

    # Chinese words
    with tempfile.TemporaryDirectory(prefix="gen-lexicon-") as tmp:
        archive = fetch_jieba(args.jieba_archive, tmp)
        data = read_jieba_dict(archive)
    digest = hashlib.sha256(data).hexdigest()
    if digest != JIEBA_DICT_SHA256:
        fail(f"jieba {JIEBA_VERSION} dict.txt has sha256 {digest}, expected {JIEBA_DICT_SHA256}")
    chinese_lines, all_chinese, considered, chinese_proper = build_chinese(data)
    chinese = check_chinese(chinese_lines)
    check_proper(chinese_proper, set(chinese), ["耐克", "阿迪达斯", "华为", "索尼", "迪士尼"],
                 ["苹果", "小米", "香槟", "联想", "快乐", "手表"], "Chinese")
    chinese_proper_swift = render_swift(
        "ChineseProperNamesData",
        [f"Generated by scripts/gen-tables/run (gen_lexicon.py) from jieba {JIEBA_VERSION} dict.txt",
         f"(PyPI sdist, sha256 of dict.txt {digest}).",
         "The words of ChineseWordsData that jieba tags only as proper names "
         f"({', '.join(sorted(JIEBA_PROPER_TAGS))}).",
         "Only jieba's data is used, under its licence (https://github.com/fxsjy/jieba; full text in",
         "ChineseWordsData.swift).",
         "Do not edit; regenerate."],
        ["One word a line, in code point order."],
        chinese_proper, [("jiebaVersion", JIEBA_VERSION)])
    chinese_swift = render_swift(
        "ChineseWordsData",
        [f"Generated by scripts/gen-tables/run (gen_lexicon.py) from jieba {JIEBA_VERSION} dict.txt",
         f"(PyPI sdist, sha256 of dict.txt {digest}).",
         f"Words of 2 to 4 Han scalars (U+3400-4DBF, U+4E00-9FFF) with frequency >= {CHINESE_MIN_FREQ}.",
         "Only jieba's data is used, under its licence (https://github.com/fxsjy/jieba):",
         ""] + [f"  {line}" if line else "" for line in JIEBA_LICENSE] + ["", "Do not edit; regenerate."],
        ["One word a line, in code point order: the word, a space, its jieba frequency (`快乐 2516`)."],
        chinese_lines, [("jiebaVersion", JIEBA_VERSION)])

    # English words
    wamerican, english_lines, wordlist_total, english_proper = build_english()
    english = check_english(english_lines)
    check_proper(english_proper, english, ["nike", "chanel", "gucci", "rolex", "tiffany", "pandora"],
                 ["apple", "coach", "puma", "canon", "omega", "bike", "shoes"], "English")
    english_proper_swift = render_swift(
        "EnglishProperNamesData",
        [f"Generated by scripts/gen-tables/run (gen_lexicon.py) from Debian {WORDLIST_PACKAGE} {wamerican}",
         f"({WORDLIST}): the words of EnglishWordsData that the list has only capitalized",
         "(`Nike`, never `nike`): proper names, not everyday words.",
         "SCOWL licence: see EnglishWordsData.swift.",
         "Do not edit; regenerate."],
        ["One lower-case word a line, sorted."],
        english_proper, [("wordListVersion", f"{WORDLIST_PACKAGE} {wamerican}")])
    english_swift = render_swift(
        "EnglishWordsData",
        [f"Generated by scripts/gen-tables/run (gen_lexicon.py) from Debian {WORDLIST_PACKAGE} {wamerican}",
         f"({WORDLIST}, SCOWL size 50 with proper names): entries of ASCII letters only,",
         "at least 3 long, lower-cased, unique.",
         "SCOWL licence (full text with the other contributors' notices in",
         "/usr/share/doc/wamerican/copyright):",
         ""] + [f"  {line}" if line else "" for line in SCOWL_LICENSE] + ["", "Do not edit; regenerate."],
        ["One lower-case word a line, sorted."],
        english_lines, [("wordListVersion", f"{WORDLIST_PACKAGE} {wamerican}")])

    out = args.output_dir
    write(os.path.join(out, "PinyinData.swift"), pinyin_swift)
    write(os.path.join(out, "ChineseWordsData.swift"), chinese_swift)
    write(os.path.join(out, "EnglishWordsData.swift"), english_swift)
    write(os.path.join(out, "ChineseProperNamesData.swift"), chinese_proper_swift)
    write(os.path.join(out, "EnglishProperNamesData.swift"), english_proper_swift)

    print(f"Pinyin: {len(pinyin)} Han scalars from Unihan {unihan}, {multi} with more than one reading")
    print(f"Chinese words: {len(chinese)} of {considered} 2-4 Han words in jieba {JIEBA_VERSION} "
          f"(frequency >= {CHINESE_MIN_FREQ})")
    print(f"English words: {len(english)} from {wordlist_total} entries of {WORDLIST_PACKAGE} {wamerican}")
    print(f"Proper names: {len(english_proper)} English words listed only capitalized, "
          f"{len(chinese_proper)} Chinese words tagged only as proper names")
    print("Brand names in the English list: "
          + (" ".join(b for b in BRANDS_TO_REPORT if b in english) or "none"))
    print("Brand names not in the English list: "
          + (" ".join(b for b in BRANDS_TO_REPORT if b not in english) or "none"))
    brands_zh = ["耐克", "阿迪达斯", "香奈儿", "劳力士", "古驰", "乐高", "普拉达", "迪奥", "爱马仕", "彪马"]
    print("Chinese brand names among the kept words: "
          + (" ".join(f"{w}({chinese[w]})" for w in brands_zh if w in chinese) or "none")
          + "; in jieba below the cut: "
          + (" ".join(f"{w}({all_chinese[w]})" for w in brands_zh if w in all_chinese and w not in chinese)
             or "none"))


if __name__ == "__main__":
    main()
