"""Inputs as they come: compressed, in archives, as Parquet, with suffixes in capitals, in old Russian
encodings; a folder's other files named in one line; a run that finds no document leaves OUT alone.
"""

import bz2
import gzip
import io
import json
import lzma
import tarfile
import zipfile

import pandas as pd
import pytest

import entities
from test_cli import read, run

RUSSIAN = "Губернатор Астраханской области Игорь Бабушкин встретился в Москве с послом Казахстана."
OTHER = "Мэр Казани открыл парк."


def tar_bytes(members, mode="w:gz"):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_bytes(members, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parquet_bytes(frame):
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def jsonl(*records):
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


FOLDER = {  # name in the folder -> bytes
    "a.txt": RUSSIAN.encode(),
    "B.TXT": RUSSIAN.encode(),  # as unpacked from a Windows archive
    "c.txt.gz": gzip.compress(RUSSIAN.encode()),
    "d.jsonl.bz2": bz2.compress(jsonl({"id": "d1", "text": RUSSIAN}, {"text": OTHER})),
    "e.csv.xz": lzma.compress(f"id;text\ne1;{RUSSIAN}\n".encode("cp1251")),  # ';' and cp1251, found inside
    "f.zip": zip_bytes({"inner/g.txt": RUSSIAN.encode(), "inner/": b"", "__MACOSX/inner/._g.txt": b"\x00\x05"}),
    "h.tar.gz": tar_bytes({"inner/x.jsonl": jsonl({"text": OTHER}), "inner/readme.pdf": b"%PDF"}),
    "i.parquet": parquet_bytes(
        pd.DataFrame({"id": ["i1", "i2"], "text": [RUSSIAN, OTHER], "rubric": ["Мир", "Спорт"]})
    ),
    "k.TXT.GZ": gzip.compress(RUSSIAN.encode("koi8-r")),
    "x.docx": b"PK\x03\x04 not read",
    ".DS_Store": b"\x00\x00\x00\x01Bud1",  # hidden: neither read nor named
}
DOC_IDS = [  # in the order read: the folder's sorted paths, an archive's members, a table's rows
    "B.TXT", "a.txt", "c.txt.gz", "d1", "d.jsonl.bz2:2", "e1", "f.zip/inner/g.txt", "h.tar.gz/inner/x.jsonl:1",
    "i1", "i2", "k.TXT.GZ",
]  # fmt: skip
SKIPPED = "entities: skipped 2 files: x.docx, h.tar.gz/inner/readme.pdf; not a format entities reads (see --help)\n"


def write_folder(folder, files):
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("compressed")
    folder = write_folder(root / "in", FOLDER)
    out = root / "out"
    return folder, out, run("extract", folder, "--out", out, "-w", "1", "-q")


def test_a_folder_of_compressed_archived_and_parquet_files_is_read(folder_run):
    folder, out, result = folder_run
    assert result.returncode == 0, result.stderr
    documents = read(out, "documents", "csv")
    assert documents["doc_id"].tolist() == DOC_IDS
    assert documents.set_index("doc_id").loc[["i1", "i2"], "rubric"].tolist() == ["Мир", "Спорт"]
    assert documents.set_index("doc_id").loc["f.zip/inner/g.txt", "source"] == f"{folder}/f.zip/inner/g.txt"
    full = documents[documents["doc_id"].isin(["a.txt", "B.TXT", "c.txt.gz", "d1", "e1", "i1", "k.TXT.GZ"])]
    assert full["n_chars"].tolist() == [len(RUSSIAN)] * 7  # cp1251 and koi8-r decoded, compressed or not
    mentions = read(out, "mentions", "csv")
    assert set(mentions.loc[mentions["normal"] == "Игорь Бабушкин", "doc_id"]) == set(full["doc_id"]) | {
        "f.zip/inner/g.txt"
    }
    assert read(out, "errors", "csv").empty


def test_the_files_of_no_format_read_are_named_in_one_line(folder_run):
    assert folder_run[2].stderr == SKIPPED


def test_the_library_reads_the_same_inputs(folder_run):
    folder = folder_run[0]
    assert [text.id for text in entities.read_texts(folder)] == DOC_IDS
    given = [folder / "d.jsonl.bz2", folder / "f.zip", folder / "i.parquet"]
    assert [text.id for text in entities.read_texts(given)] == [
        "d1", f"{folder}/d.jsonl.bz2:2", f"{folder}/f.zip/inner/g.txt", "i1", "i2",
    ]  # fmt: skip


def windows_zip(names):
    """A zip whose member names are stored as `names` give them (bytes), without the UTF-8 flag: as
    Russian Windows' own archiver writes them in cp866. zipfile itself writes UTF-8 with the flag, so
    ASCII names of the same length are written and their bytes replaced."""
    stand_ins = {name: bytes([ord("a") + number]) * len(name) for number, name in enumerate(names)}  # 'aaa…'
    data = zip_bytes({stand_in.decode(): RUSSIAN.encode() for stand_in in stand_ins.values()}, zipfile.ZIP_STORED)
    for name, stand_in in stand_ins.items():
        data = data.replace(stand_in, name)
    return data


def test_a_windows_archive_s_member_names_read_as_written(tmp_path):
    names = ["Новости/1.txt".encode("cp866"), "Сводка.txt".encode(), b"plain.txt"]  # cp866, UTF-8 unflagged
    archive = tmp_path / "архив.zip"
    archive.write_bytes(windows_zip(names))
    result = run("extract", archive, "--out", tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    assert read(tmp_path / "out", "documents", "csv")["doc_id"].tolist() == [
        f"{archive}/Новости/1.txt", f"{archive}/Сводка.txt", f"{archive}/plain.txt",
    ]  # fmt: skip


def test_skipped_names_are_shortened(tmp_path):
    folder = write_folder(tmp_path / "in", {f"{name}.pdf": b"%PDF" for name in "abcdefgh"} | {"a.txt": b"text"})
    result = run("extract", folder, "--out", tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "entities: skipped 8 files: a.pdf, b.pdf, c.pdf, d.pdf, e.pdf, …; not a format " \
                            "entities reads (see --help)\n"  # fmt: skip


@pytest.mark.parametrize("name, data, doc_ids", [
    ("news.jsonl.gz", gzip.compress(jsonl({"id": "n1", "text": RUSSIAN}, {"text": OTHER})), ["n1", "NAME:2"]),
    ("lenta-ru-news.csv.bz2", bz2.compress(f"url,title,text\nu1,Т,{RUSSIAN}\n".encode()), ["NAME:1"]),
    ("digest.TSV.xz", lzma.compress(f"id\ttext\nt1\t{RUSSIAN}\n".encode()), ["t1"]),
    ("a.txt.xz", lzma.compress(RUSSIAN.encode()), ["NAME"]),
    ("news.tgz", tar_bytes({"./2024/a.txt": RUSSIAN.encode(), "./2024/b.txt.gz": gzip.compress(OTHER.encode())}),
     ["NAME/2024/a.txt", "NAME/2024/b.txt.gz"]),
    ("news.tar.bz2", tar_bytes({"a.txt": RUSSIAN.encode()}, "w:bz2"), ["NAME/a.txt"]),
    ("news.ZIP", zip_bytes({"a.csv": f"id,text\nz1,{RUSSIAN}\n".encode()}), ["z1"]),
    ("news.parquet", parquet_bytes(pd.DataFrame({"body": [RUSSIAN, OTHER]})), ["NAME:1", "NAME:2"]),
], ids=lambda value: value if isinstance(value, str) else "")  # fmt: skip
def test_a_compressed_file_given_by_name(tmp_path, name, data, doc_ids):
    path = tmp_path / name
    path.write_bytes(data)
    options = ["--text-column", "body"] if name == "news.parquet" else []
    result = run("extract", path, "--out", tmp_path / "out", "-q", *options)
    assert result.returncode == 0, result.stderr
    assert read(tmp_path / "out", "documents", "csv")["doc_id"].tolist() == [
        doc_id.replace("NAME", str(path)) for doc_id in doc_ids
    ]


@pytest.mark.parametrize("name, data, columns", [
    ("lenta.csv.gz", gzip.compress(b"url,title,body\nu,t,b\n"), "url, title, body"),
    ("news.parquet", parquet_bytes(pd.DataFrame({"id": [1], "body": ["x"]})), "id, body"),
], ids=["csv.gz", "parquet"])  # fmt: skip
def test_a_table_without_the_text_column_stops_the_run_before_any_work(tmp_path, name, data, columns):
    path = tmp_path / name
    path.write_bytes(data)
    result = run("extract", path, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.startswith(f"entities: error: {path}: no 'text' column (columns: {columns}); choose one")
    assert not (tmp_path / "out").exists()


DAMAGED = {  # name -> bytes
    "cut.txt.gz": gzip.compress(RUSSIAN.encode() * 20)[:40],
    "not.jsonl.bz2": b"plain text, not bzip2",
    "bad.zip": b"PK\x03\x04 cut",
    "cut.tar.gz": tar_bytes({"a.txt": RUSSIAN.encode() * 200})[:200],
    "crc.zip": zip_bytes({"a.txt": RUSSIAN.encode()}, zipfile.ZIP_STORED).replace(b"\xd0\x93", b"XX", 1),
}
DAMAGE = [  # the rows of the errors table: doc_id, part of the message
    ("bad.zip", "can not read its .zip data (File is not a zip file): damaged, cut short, or not what its suffix says"),
    ("crc.zip/a.txt", "can not read its .zip data (Bad CRC-32 for file 'a.txt')"),  # the archive reads, a member not
    ("cut.tar.gz/a.txt", "can not read its .tar.gz data (Compressed file ended before the end-of-stream marker"),
    ("cut.tar.gz", "can not read its .tar.gz data (Compressed file ended before the end-of-stream marker"),
    ("cut.txt.gz", "can not read its .gz data (Compressed file ended before the end-of-stream marker was reached)"),
    ("not.jsonl.bz2", "can not read its .bz2 data (Invalid data stream)"),
]


def test_a_damaged_compressed_file_is_a_row_of_the_errors_table(tmp_path):
    folder = write_folder(tmp_path / "in", DAMAGED | {"ok.txt": RUSSIAN.encode()})
    out = tmp_path / "out"
    result = run("extract", folder, "--out", out, "-q")
    assert result.returncode == 5, result.stderr
    assert result.stderr == f"entities: {len(DAMAGE)} documents failed, listed in {out / 'errors.csv'}\n"
    errors = read(out, "errors", "csv")
    assert errors["doc_id"].tolist() == [doc_id for doc_id, _ in DAMAGE]
    for (doc_id, message), error in zip(DAMAGE, errors["error"], strict=True):
        assert message in error, doc_id
    assert set(errors["stage"]) == {"read"}
    assert read(out, "documents", "csv")["doc_id"].tolist() == ["ok.txt"]
    with pytest.raises(entities.EntitiesError, match=r"bad\.zip: can not read its \.zip data"):
        list(entities.read_texts(folder))


def out_bytes(out):
    return {path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("files", [{"x.docx": b"PK"}, {}, {"empty.jsonl.gz": gzip.compress(b"\n")}],
                         ids=["only-docx", "empty", "no-record"])  # fmt: skip
def test_a_run_that_finds_no_document_leaves_out_as_it_was(tmp_path, files):
    previous = write_folder(tmp_path / "previous", {"a.txt": RUSSIAN.encode()})
    out = tmp_path / "out"
    assert run("extract", previous, "--out", out, "-q").returncode == 0
    before = out_bytes(out)
    folder = write_folder(tmp_path / "in", files)
    for resume in ([], ["--resume"]):
        result = run("extract", folder, "--out", out, *resume)
        assert result.returncode == 2, result.stderr
        error = f"no document to read in {folder} (see --help for the inputs read); {out} is left as it was\n"
        assert result.stderr.splitlines(keepends=True)[-1] == f"entities: error: {error}"
        assert result.stdout == ""
        assert out_bytes(out) == before  # manifest.json and every table, byte for byte
    assert run("extract", folder, "--out", tmp_path / "new").returncode == 2
    assert not (tmp_path / "new").exists()


def test_documents_that_all_fail_are_not_no_document(tmp_path):
    folder = write_folder(tmp_path / "in", {"binary.txt": b"\x00\x01", "cut.txt.gz": b"\x1f\x8b"})
    result = run("extract", folder, "--out", tmp_path / "out", "-q")
    assert result.returncode == 5, result.stderr
    assert len(read(tmp_path / "out", "errors", "csv")) == 2


ENCODED = {  # the files of one folder, read with --encoding koi8-r
    "cp1251.txt": RUSSIAN.encode("cp1251"),
    "koi8.txt": RUSSIAN.encode("koi8-r"),
    "utf8.txt": RUSSIAN.encode(),
    "utf8-bom.txt": b"\xef\xbb\xbf" + RUSSIAN.encode(),
    "utf16-bom.txt": RUSSIAN.encode("utf-16"),
}


@pytest.mark.parametrize("options", [[], ["--encoding", "koi8-r"]], ids=["detected", "koi8-r named"])
def test_each_file_of_a_folder_in_its_own_encoding(tmp_path, options):
    folder = write_folder(tmp_path / "in", ENCODED)
    out = tmp_path / "out"
    result = run("extract", folder, "--out", out, "-q", *options)
    assert result.returncode == 0, result.stderr
    documents = read(out, "documents", "csv")
    assert documents["n_chars"].tolist() == [len(RUSSIAN)] * len(ENCODED)  # no BOM, no mojibake
    mentions = read(out, "mentions", "csv")
    for name in ENCODED:
        found = mentions[mentions["doc_id"] == name]
        assert {"Астраханская область", "Игорь Бабушкин", "Москва"} <= set(found["normal"]), name


@pytest.mark.parametrize("codec, named", [("utf-16-le", "utf-16"), ("utf-16-be", "utf-16-be")])
def test_utf16_without_a_bom_says_to_name_it(tmp_path, codec, named):
    path = tmp_path / "utf16.txt"
    path.write_bytes(RUSSIAN.encode(codec))
    result = run("extract", path, "--out", tmp_path / "out", "-q")
    assert result.returncode == 5, result.stderr
    [error] = read(tmp_path / "out", "errors", "csv")["error"]
    assert error.startswith("binary data, not text (a NUL byte at ")
    assert error.endswith(f"; if it is UTF-16 without a BOM, name it with --encoding {named}")
    result = run("extract", path, "--out", tmp_path / "named", "-q", "--encoding", named)
    assert result.returncode == 0, result.stderr
    assert read(tmp_path / "named", "documents", "csv")["n_chars"].tolist() == [len(RUSSIAN)]
    assert "Игорь Бабушкин" in set(read(tmp_path / "named", "mentions", "csv")["normal"])


def test_a_table_read_as_a_stream_keeps_the_rows_before_a_bad_line(tmp_path):
    # the encoding is the one its start shows; a line in none costs the lines after it, not the whole file
    rows = "".join(f"r{number},{RUSSIAN}\n" for number in range(3))
    table = tmp_path / "digest.csv.gz"
    table.write_bytes(gzip.compress(b"id,text\n" + rows.encode() + b"rx,\xff\xfe\nry," + OTHER.encode() + b"\n"))
    result = run("extract", table, "--out", tmp_path / "out", "-q")
    assert result.returncode == 5, result.stderr
    assert read(tmp_path / "out", "documents", "csv")["doc_id"].tolist() == ["r0", "r1", "r2"]
    assert read(tmp_path / "out", "errors", "csv")[["doc_id", "error"]].values.tolist() == [
        [
            str(table),
            "not UTF-8 (invalid start byte at byte 3 of the line) on line 5; the lines after it are not "
            "read; name it with --encoding if it is not UTF-8",
        ]
    ]


def test_show_reads_a_compressed_text(tmp_path):
    path = tmp_path / "a.txt.xz"
    path.write_bytes(lzma.compress(RUSSIAN.encode("koi8-r")))
    result = run("show", path, "--no-color")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Губернатор [Астраханской области]LOC [Игорь Бабушкин]PER встретился")
