"""The loaders: the real data loads, and wrong data fails with file, row and column."""

import re
from pathlib import Path

import pytest

from yiwu import DATA
from yiwu.loaders import SCHEMAS, DataError, read_chapter, read_strings, read_table, read_words

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE_IDS = {"seed-xinhua", "seed-cyd"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_table_loads(name):
    frame = read_table(name)
    assert len(frame) > 0, f"{SCHEMAS[name].file} is empty"


def test_every_source_id_in_any_table_is_known():
    known = set(read_table("sources")["id"])
    for name, schema in SCHEMAS.items():
        for col in schema.cols:
            if col.kind == "sources":
                used = {s for ids in read_table(name)[col.name].dropna() for s in ids}
                assert used <= known, f"{schema.file}: unknown sources {used - known}"


def write(tmp_path, text: str, name: str = "facts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEADER = "id,value,unit,qualifier,period,source_ids,status\n"


def test_good_fixture_reads_typed(tmp_path):
    path = write(tmp_path, GOOD_HEADER + "a,26,count,,2026,seed-cyd,verified\n"
                                         "b,8365,cny,over,2025,seed-xinhua;seed-cyd,verified\n")
    frame = read_table("facts", path, SOURCE_IDS)
    assert list(frame["id"]) == ["a", "b"]
    assert frame["value"].tolist() == [26.0, 8365.0]
    assert frame["source_ids"].tolist()[1] == ("seed-xinhua", "seed-cyd")


@pytest.mark.parametrize("text, row, column, words", [
    ("id,value,unit,period,source_ids,status\na,1,count,2026,seed-cyd,verified\n",
     1, "qualifier", "missing column"),
    (GOOD_HEADER + "a,1,count,,2026,,verified\n", 2, "source_ids", "no source"),
    (GOOD_HEADER + "a,1,count,,2026,nowhere,verified\n", 2, "source_ids", "unknown source"),
    (GOOD_HEADER + "a,1,count,,2026,seed-cyd,verified\nb,lots,count,,2026,seed-cyd,verified\n",
     3, "value", "not a number"),
    (GOOD_HEADER + "a,1,count,,2026,seed-cyd,unverified\n", 2, "status", "not one of"),
    (GOOD_HEADER + "a,1,count,,2026,seed-cyd,verified\na,2,count,,2026,seed-cyd,verified\n",
     3, "id", "repeats row 2"),
    (GOOD_HEADER + "a,1,count,,2026,seed-cyd\n", 2, None, "cells"),
])
def test_malformed_tables_name_file_row_and_column(tmp_path, text, row, column, words):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        read_table("facts", path, SOURCE_IDS)
    err = info.value
    assert err.path == path and err.row == row and err.column == column
    assert words in err.message
    shown = str(err)
    assert "facts.csv" in shown and f"row {row}" in shown


def test_an_event_on_an_unknown_chart_is_reported(tmp_path):
    header = "id,year,date,generation,charts,source_ids,status\n"
    good = write(tmp_path, header + "x,2014,2014,,timeline;trains,seed-cyd,verified\n", "events.csv")
    assert read_table("events", good, SOURCE_IDS)["charts"].tolist() == [("timeline", "trains")]
    bad = write(tmp_path, header + "x,2014,2014,,timeline;train,seed-cyd,verified\n", "events.csv")
    with pytest.raises(DataError) as info:
        read_table("events", bad, SOURCE_IDS)
    err = info.value
    assert (err.row, err.column) == (2, "charts") and "“train” is not one of" in err.message


def test_bad_date_is_reported(tmp_path):
    path = write(tmp_path, "id,outlet_en,outlet_zh,title_en,title_zh,date,url,grade,supports\n"
                           "x,Xinhua,新华社,,,2026-13-45x,,A,\n", "sources.csv")
    with pytest.raises(DataError) as info:
        read_table("sources", path)
    assert info.value.column == "date" and info.value.row == 2


def test_error_location_reads_in_chinese(tmp_path):
    path = write(tmp_path, GOOD_HEADER + "a,x,count,,2026,seed-cyd,verified\n")
    with pytest.raises(DataError) as info:
        read_table("facts", path, SOURCE_IDS)
    assert info.value.where("zh").endswith("第 2 行\uff0c列“value”")


def test_text_missing_in_one_language_names_the_other_file(tmp_path):
    for lang, body in (("en", '[a]\nlabel = "Goods"\n[b]\nlabel = "Stalls"\n'),
                       ("zh", '[a]\nlabel = "商品"\n')):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "facts.toml").write_text(body, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_words("facts", "zh", tmp_path)
    assert info.value.path == tmp_path / "zh" / "facts.toml"
    assert info.value.row == "b"


def test_broken_toml_names_its_line(tmp_path):
    for lang in ("en", "zh"):
        (tmp_path / lang).mkdir()
    (tmp_path / "en" / "core.toml").write_text('[a]\nx = "ok"\ny = "unclosed\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_strings("en", tmp_path)
    assert info.value.row == "3"


def test_duplicate_string_key_across_files(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.toml").write_text('[nav]\nhome = "Home"\n', encoding="utf-8")
    (tmp_path / "en" / "b.toml").write_text('[nav]\nhome = "Start"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_strings("en", tmp_path)
    assert "nav.home" in info.value.message


def test_good_chapter_fixture_parses():
    chapter = read_chapter("test", "en", FIXTURES / "chapter_ok.md", {"products", "categories", "trade_2025"})
    assert [s.id for s in chapter.sections] == ["first", "second"]
    assert chapter.sections[0].lead == "The lead sentence. A second one."
    assert [b.kind for b in chapter.sections[0].blocks] == ["md", "figures", "md"]
    assert chapter.sections[0].blocks[1].args == ("products", "categories")
    assert chapter.sections[1].facts == ("trade_2025",)


@pytest.mark.parametrize("body, line, words", [
    ("## No id here\n\nText.\n", 7, "needs an id"),
    ("## A {#a}\n\nText.\n\n## B {#a}\n\nMore.\n", 11, "repeats line 7"),
    ("## A {#a}\n\n{{ chart: trade }}\n", 7, "lead paragraph"),
    ("## A {#a}\n\nText.\n\n{{ video: x }}\n", 11, "unknown block"),
    ("## A {#a}\n\nText with {{fact:nope}}.\n", 9, "unknown fact"),
    ("## A {#a}\n\nText.\n\n{{ cited: seed-cyd, nowhere }}\n", 11, "unknown source id “nowhere”"),
    ("## A {#a}\n\nText.\n\n{{ cited: }}\n", 11, "at least one source"),
])
def test_malformed_chapters_name_the_line(tmp_path, body, line, words):
    path = write(tmp_path, '+++\ntitle = "T"\nnav = "T"\nsummary = "S"\n+++\n\n' + body, "01-x.md")
    with pytest.raises(DataError) as info:
        read_chapter("x", "en", path, {"products"})
    assert info.value.row == line and words in info.value.message


def test_a_section_names_the_sources_of_its_claims(tmp_path):
    body = "## A {#a}\n\nXinhua says so.\n\n{{ cited: seed-xinhua, seed-cyd }}\n\n## B {#b}\n\nMore.\n"
    path = write(tmp_path, '+++\ntitle = "T"\nnav = "T"\nsummary = "S"\n+++\n\n' + body, "01-x.md")
    chapter = read_chapter("x", "en", path, {"products"})
    assert chapter.sections[0].cited == ("seed-xinhua", "seed-cyd") and chapter.sections[1].cited == ()


def test_missing_front_matter_key(tmp_path):
    path = write(tmp_path, '+++\ntitle = "T"\nnav = "T"\n+++\n\n## A {#a}\n\nText.\n', "01-x.md")
    with pytest.raises(DataError) as info:
        read_chapter("x", "en", path, set())
    assert info.value.column == "summary"


def test_data_dir_is_next_to_the_code():
    assert (DATA / "chapters.csv").exists()


def test_shared_results_are_made_once_and_errors_are_not_remembered():
    from yiwu.loaders import clear_shared, shared

    calls = []

    @shared
    def double(x):
        calls.append(x)
        if x < 0:
            raise DataError(Path("data/x.csv"), "negative", 1, "x")
        return [x * 2]

    assert double(2) is double(2) and calls == [2]  # one object, shared by every caller
    for _ in range(2):
        with pytest.raises(DataError):
            double(-1)
    assert calls == [2, -1, -1], "a broken file must be read again, not remembered"
    clear_shared()
    double(2)
    assert calls == [2, -1, -1, 2]

    @shared(maxsize=2)
    def recent(x):
        calls.append(("recent", x))
        return x

    for x in (1, 2, 1, 3, 1, 2):
        recent(x)
    # 2 was the least recently used when 3 came, so it is made again; 1 never is.
    assert [c[1] for c in calls if isinstance(c, tuple)] == [1, 2, 3, 2]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_source_line_names_each_outlet_once(lang):
    """Two pages of one site (the generations' sources) read "ejetgroup.com", not "ejetgroup.com; ejetgroup.com"."""
    from yiwu.sources import cite, source_name

    line = cite(["ejetgroup", "ejetgroup-2", "seed-xinhua"], lang)
    assert line.count("ejetgroup.com") == 1, line
    assert source_name("seed-xinhua", lang) in line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_source_name_has_one_pair_of_brackets_with_its_date(lang):
    """"Xinhua (repost, 2023)", not "Xinhua (repost) (2023)"; "新华社（转载，2023）", not "新华社（转载）（2023）"."""
    from yiwu.sources import source_names

    names = source_names(lang)
    assert not [n for n in names.values() if len(re.findall("[(\uff08]", n)) > 1]
    for row in read_table("sources").itertuples():
        if row.date:
            assert row.date in names[row.id], row.id
