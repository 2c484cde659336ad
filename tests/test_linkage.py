"""Linkage of a graduate's forms across waves: the name comparison, the decisions, and the figures on the
demo generator's ground truth (which row of which export is whose)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import AS_OF
from test_pipeline import run_stages

from followup import keys
from followup.anonymise import linkage
from followup.anonymise.file_names import recorded_names
from followup.anonymise.linkage import name_similarity
from followup.anonymise.pseudonym import identities
from followup.demo import generate
from followup.run import Run
from followup.warehouse import Warehouse

FULL = "анна иванова петровна"  # normalised: lower case, words sorted


@pytest.mark.parametrize(
    ("written", "at_least", "below"),
    [
        (FULL, 100, 101),
        ("анна иванова", 90, 101),  # no patronymic
        ("анна иваонва петровна", 90, 100),  # a typo
        ("а иванова п", 90, 92),  # initials: never more than just linkable
        ("а иванова с", 0, 1),  # initials that do not fit
        ("анна иванова сергеевна", 75, 90),  # another patronymic: for a person to decide
        ("мария петрова", 0, 75),  # someone else
    ],
)
def test_names_are_compared_word_by_word(written: str, at_least: float, below: float) -> None:
    assert at_least <= name_similarity(written, FULL) < below


def _known(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["graduate_id", "name_key", "phone"]).assign(recorded=True)


def _incoming(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name_key", "phone"])


def test_decisions_link_the_sure_ones_and_ask_about_the_rest() -> None:
    known = _known(
        ("g1", FULL, "+79120000001"),
        ("g2", "мария петрова сергеевна", "+79120000002"),
        ("g3", "елена смирнова олеговна", ""),
        ("g4", "елена смирнова игоревна", ""),
    )
    decisions = linkage.link(
        _incoming(
            (FULL, ""),  # exact
            ("анна иваонва петровна", ""),  # typo, one candidate
            ("", "+79120000002"),  # a phone alone
            ("мария сидорова", "+79120000002"),  # a phone shared with someone unlike: a relative?
            ("елена смирнова", ""),  # two graduates fit as well
            ("ольга кузнецова", ""),  # no one
        ),
        known,
    )
    assert [(d.graduate_id, d.how, d.candidate) for d in decisions] == [
        ("g1", "exact", None),
        ("g1", "fuzzy", None),
        ("g2", "phone", None),
        (None, "review", "g2"),
        (None, "review", "g3"),
        (None, "none", None),
    ]


def test_the_messy_demo_corpus_links_every_follow_up_to_the_right_graduate(home, tmp_path) -> None:
    """The full run on the demo's ground truth: pairs of forms put together, right and found."""
    corpus = generate(home.inbox, tmp_path / "truth", seed=7, today=AS_OF, graduates=300, messy=True)
    summary, _ = run_stages(home)
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate
    with Warehouse(home.warehouse, read_only=True) as wh:
        got = wh.con.execute(
            "SELECT f.file_name AS file, r.source_row AS row, r.graduate_id "
            "FROM responses AS r JOIN files AS f USING (file_id)"
        ).df()
    precision, recall = _pairwise(corpus.rows_path, got)
    assert precision >= 0.995, precision
    assert recall >= 0.98, recall


def _pairwise(rows_path, got: pd.DataFrame) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Precision and recall over pairs of a person's answers at different waves (a cumulative re-export's
    copy of an answer counts once)."""
    rows = pd.read_csv(rows_path, dtype=str, keep_default_na=False).astype({"row": int})
    files = sorted(set(rows["file"]))  # the warehouse knows each file by its recorded name
    rows["file"] = rows["file"].map(dict(zip(files, recorded_names(files), strict=True)))
    answers = rows[rows["repeat"] == ""].merge(got, on=["file", "row"], how="left")
    answers = answers.sort_values("graduate_id").groupby(["person", "wave"], as_index=False).first()

    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    linked = answers.dropna(subset=["graduate_id"])
    right = pairs(linked.groupby(["person", "graduate_id"]).size())
    return right / pairs(linked.groupby("graduate_id").size()), right / pairs(answers.groupby("person").size())


def test_names_alone_link_the_demo_follow_ups_with_no_wrong_link(home, tmp_path) -> None:
    """The harder case: every phone left out, names only (typos, missing patronymics, initials)."""
    corpus = generate(home.inbox, tmp_path / "truth", seed=7, today=AS_OF, graduates=300, messy=True)
    rows = pd.read_csv(corpus.rows_path, dtype=str, keep_default_na=False).astype({"row": int})
    person = {(f, r): p for f, r, p in rows[["file", "row", "person"]].itertuples(index=False)}
    key = keys.load_key(home.secret_key)
    baselines, follow_ups = [], []
    with Run.open(home.root, as_of=AS_OF) as run:
        for export in run.discover():
            for checked in run.validate(export, run.read(export) or []) or []:
                who = identities(checked, key, "RU", "org").assign(phone="")
                who["person"] = [person[(export.path.name, r)] for r in who["_row"]]
                (baselines if checked.kind == "baseline" else follow_ups).append(who)
    known = pd.concat(baselines).assign(graduate_id=lambda k: k["alias_id"], recorded=True)
    whose = dict(zip(known["alias_id"], known["person"], strict=True))
    incoming = pd.concat(follow_ups).drop_duplicates(["person", "name_key"])
    found = [whose.get(d.graduate_id or "") for d in linkage.link(incoming, known)]
    linked = [(f, p) for f, p in zip(found, incoming["person"], strict=True) if f is not None]
    assert all(f == p for f, p in linked)  # precision: no form given to the wrong woman
    assert len(linked) / len(incoming) >= 0.97  # the rest wait for review, none is lost


def test_an_uncertain_link_waits_for_review_and_a_decision_lets_the_retry_load_it(home) -> None:
    from followup.demo import BASELINE_HEADERS, FOLLOWUP_HEADERS, write_baseline_xlsx, write_followup_csv

    base = {h: "" for h in BASELINE_HEADERS} | {"Программа": "Социальный приют", "Ребёнок проживает с мамой": "Да"}
    write_baseline_xlsx(
        home.inbox / "закрытие.xlsx",
        [
            base | {"№": 1, "Дата завершения случая": "10.01.2026", "ФИО выпускницы": "Смирнова Елена Олеговна"},
            base | {"№": 2, "Дата завершения случая": "12.01.2026", "ФИО выпускницы": "Смирнова Елена Игоревна"},
        ],
    )
    answer = {h: "" for h in FOLLOWUP_HEADERS} | {"Где вы сейчас живёте?": "Общежитие"}
    write_followup_csv(
        home.inbox / "анкета.csv",
        [answer | {"Отметка времени": "15.04.2026 10:00:00", "Ваши фамилия, имя и отчество": "Елена Смирнова"}],
    )
    first, _ = run_stages(home)
    assert (first.rows_loaded, first.rows_quarantined) == (2, 1)
    with Warehouse(home.warehouse) as wh:
        waiting = wh.run("linkage.sql", "waiting_reviews").df()
        assert len(waiting) == 1 and waiting["forms"].iloc[0] == 1
        reason = wh.con.execute("SELECT check_name, reason FROM quarantine").fetchone()
    assert reason is not None and reason[0] == "link_review" and "followup review" in reason[1]
    assert "Смирнова" not in reason[1] and "Елена" not in reason[1]

    # Staff look at the pair (with the names, from the vault) and accept it; the retry loads the form.
    from conftest import run_cli

    listed = run_cli("review", "--home", str(home.root))
    assert listed.returncode == 0 and "Смирнова" not in listed.stdout
    alias = str(waiting["alias_id"].iloc[0])
    assert alias[:12] in listed.stdout and "Uncertain links: 1" in listed.stdout
    named = run_cli("review", "--names", "--home", str(home.root), env={"COLUMNS": "400"})
    # the name as written, and the recorded name of the candidate (either namesake: they score alike)
    assert "Елена Смирнова" in named.stdout and "Смирнова Елена " in named.stdout.replace("Елена Смирнова", "")
    decided = run_cli("review", "--accept", alias[:8], "--home", str(home.root))
    assert decided.returncode == 0, decided.stdout + decided.stderr
    with Run.open(home.root, as_of=AS_OF) as run:
        retried = [(r, run.reread(r)) for r in run.retries()]
        for r, tables in retried:
            checked = run.validate(r.export, tables or [], retry=True)
            assert checked is not None
            run.load(run.anonymise(r.export, checked, retry=True))
        run.finish()
    with Warehouse(home.warehouse, read_only=True) as wh:
        graduates = wh.con.execute(
            "SELECT count(DISTINCT graduate_id), count(*) FROM responses WHERE kind = 'followup'"
        ).fetchone()
        assert graduates == (1, 1)
        assert wh.run("linkage.sql", "waiting_reviews").df().empty
        assert wh.quarantined(None, waiting=True).empty
