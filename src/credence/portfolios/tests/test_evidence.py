"""Portfolio evidence you can trust (issue 15): each defect on a repository built in the test.

Secret values are built at run time (no key-shaped literal lives in this repository) and must
never appear in a report.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import pytest

from credence.portfolios.analysis import analyze
from credence.portfolios.gitsafe import Limits
from credence.portfolios.history import DEFAULT_BOTS, parse_log, parse_patch_log
from credence.portfolios.tests.gitrepos import BASE, TEST_LIMITS, RepoBuilder, git


def run(path: Path, **kwargs) -> dict:
    return analyze(str(path), limits=kwargs.pop("limits", TEST_LIMITS), **kwargs)


def token(seed: int, n: int = 14) -> str:
    rng = random.Random(seed)
    return "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=n))


def aws_key(seed: int = 4) -> str:
    return "AKIA" + "".join(random.Random(seed).choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", k=16))


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "src")


def kinds(report: dict) -> list[tuple[str, str]]:
    return [(s["path"], s["kind"]) for s in report["secrets"]]


# -- secrets: a repository per detector, positive and negative ----------------------------


def test_basic_auth_urls_are_found_and_placeholders_are_not(repo):
    repo.commit(
        {
            "scripts/db.sh": (
                "#!/bin/sh\npsql postgresql://postgres:postgres@localhost:5432/app -c 'select 1'\n"
            ),
            "docs/setup.sh": (
                "psql postgresql://user:password@localhost/app\n"
                "curl https://admin:hunter2hunter2@example.com/api\n"
                'psql "postgresql://${DB_USER}:${DB_PASSWORD}@db/app"\n'
                "psql postgresql://app:<password>@db/app\n"
                "psql postgresql://postgres:changethis@db/app\n"
            ),
        }
    )
    report = run(repo.path)
    assert report["secrets"] == [
        {
            "path": "scripts/db.sh",
            "line": 2,
            "kind": "Basic Auth Credentials",
            "in_pinned_tree": True,
        }
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (
            "docker-compose.yml",
            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {v}\n",
        ),
        ("docker-compose.yml", "services:\n  db:\n    environment:\n      - DB_PASSWORD={v}\n"),
        (".vscode/settings.json", '{{\n  "sqltools.connections": [{{"password": "{v}"}}]\n}}\n'),
        ("deploy/run.sh", "#!/bin/sh\nexport API_TOKEN={v}\n./serve\n"),
        ("config.toml", '[db]\nuser = "app"\npassword = "{v}"\n'),
        ("setup.cfg", "[db]\nclient_secret = {v}\n"),
        ("app/settings.py", 'DEBUG = False\nSECRET_KEY = "{v}"\n'),
        ("conf/app.ini", "[auth]\napiKey: {v}\n"),
        (
            "explore.ipynb",
            '{{\n "cells": [{{"cell_type": "code", "source": [\n  "import os\\n",\n'
            '  "HF_TOKEN = \\"{v}\\"\\n"\n ]}}]\n}}\n',
        ),
    ],
)
def test_keyword_secrets_in_config_and_script_files(tmp_path, path, text):
    value = token(7)
    repo = RepoBuilder(tmp_path / "kw")
    repo.commit({path: text.format(v=value)})
    report = run(repo.path)
    assert kinds(report) == [(path, "Secret Keyword")]
    lines = text.format(v=value).split("\n")
    assert report["secrets"][0]["line"] == next(
        n for n, line in enumerate(lines, 1) if value in line
    )
    assert value not in json.dumps(report)


def test_keyword_rule_leaves_placeholders_references_examples_and_tests_alone(repo):
    real = token(8)
    repo.commit(
        {
            "docker-compose.yml": (
                "services:\n  db:\n    environment:\n"
                "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n"
                "      REDIS_PASSWORD: changeme\n"
                "      API_TOKEN: <your token here>\n"
                "      SECRET_KEY: '{{ vault_secret }}'\n"
            ),
            "app/settings.py": (
                'PASSWORD = os.environ["DB_PASSWORD"]\n'
                "token = get_token()\n"
                'tokenizer = "bert-base-uncased-whole-word"\n'
                "max_tokens = 25600000\n"
                'secret_name = "prod-db-credentials"\n'
                'password_file = "/run/secrets/db_password"\n'
            ),
            "config.example.yml": f"password: {real}\n",
            "tests/test_login.py": f'def test_login():\n    login(password="{real}")\n',
            "README.md": f"Set `password: {real}` in your config.\n",
            "openapi.json": '{"password": {"type": "string"}, "token": "string"}\n',
            "context.jsonld.json": (
                '{"EnvelopedVerifiableCredential": "https://www.w3.org/2018/credentials#x"}\n'
            ),
            "tests/conftest.py": 'DB = "postgresql://app:' + real + '@localhost/test"\n',
        }
    )
    assert run(repo.path)["secrets"] == []


def test_long_lines_are_scanned_in_chunks(repo):
    key = aws_key(11)
    edge = aws_key(12)
    minified = "var a=1;" * 700 + f'var k="{key}";' + "var b=2;" * 700
    # a key across the first chunk boundary (4,096 characters)
    straddling = "x" * 4090 + edge + "y" * 5000
    repo.commit({"web/app.min.js": minified + "\n", "data/blob.txt": straddling + "\n"})
    report = run(repo.path)
    assert kinds(report) == [
        ("data/blob.txt", "AWS Access Key"),
        ("web/app.min.js", "AWS Access Key"),
    ]
    assert key not in json.dumps(report) and edge not in json.dumps(report)


def test_a_long_image_line_raises_nothing(repo):
    png = "iVBOR" + "A" * 20_000
    repo.commit({"n.ipynb": json.dumps({"outputs": [{"data": {"image/png": png}}]}) + "\n"})
    assert run(repo.path)["secrets"] == []


def test_secrets_are_scanned_as_added_lines_over_the_whole_history(repo):
    value = token(9)
    key = aws_key(13)
    repo.commit({"deploy.sh": f"export DB_PASSWORD={value}\n", "keys.py": f'K = "{key}"\n'})
    repo.commit({"deploy.sh": 'export DB_PASSWORD="$1"\n'}, message="remove the password")
    # the key stays, two lines further down: the report gives its line in the pinned tree
    repo.commit({"keys.py": f'"""Keys."""\n\nK = "{key}"\n'})
    report = run(repo.path)
    assert report["secrets"] == [
        {"path": "deploy.sh", "line": 1, "kind": "Secret Keyword", "in_pinned_tree": False},
        {"path": "keys.py", "line": 3, "kind": "AWS Access Key", "in_pinned_tree": True},
    ]
    assert report["secret_scan"]["lines_scanned"] >= 4
    assert value not in json.dumps(report) and key not in json.dumps(report)


def test_a_secret_written_while_merging_is_found(repo):
    value = token(14)
    repo.commit({"run.sh": "export A=1\n"})
    git(repo.path, "checkout", "-q", "-b", "side")
    repo.commit({"run.sh": "export A=2\n"})
    git(repo.path, "checkout", "-q", "main")
    repo.commit({"other.py": "x = 1\n"})
    who = {
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
    }
    git(repo.path, "merge", "-q", "--no-commit", "-s", "ours", "side", env=who)
    (repo.path / "run.sh").write_text(f"export A=2\nexport DB_PASSWORD={value}\n")
    git(repo.path, "add", "run.sh")
    git(repo.path, "commit", "-q", "-m", "merge side", env=who)
    report = run(repo.path)  # a merge shows no patch: the pinned file is read whole
    assert report["secrets"] == [
        {"path": "run.sh", "line": 2, "kind": "Secret Keyword", "in_pinned_tree": True}
    ]


def test_partial_clone_still_scans_what_it_holds(repo):
    value = token(10)
    repo.commit({"weights.bin": random.Random(5).randbytes(200_000)})
    repo.commit({"run.sh": f"export HF_TOKEN={value}\n"})
    limits = Limits(protocols=("file",), max_blob_bytes=50_000)
    report = run(repo.path, limits=limits)
    assert kinds(report) == [("run.sh", "Secret Keyword")]
    assert report["unreadable"][0]["path"] == "weights.bin"


# -- identities and bots ------------------------------------------------------------------


def test_a_noreply_login_joins_the_name_and_email_identities_of_the_same_login(repo):
    repo.commit({"a.py": "a = 1\n"}, name="eatingbug", email="eb@laptop.example")
    repo.commit({"b.py": "b = 1\n"}, name="E. Bug", email="4242+eatingbug@users.noreply.github.com")
    repo.commit({"c.py": "c = 1\n"}, name="Someone", email="Eating.Bug@mail.example")
    repo.commit({"d.py": "d = 1\n"}, name="Other Person", email="other@example.org")
    report = run(repo.path)
    assert len(report["authors"]) == 2
    person = report["authors"][0]
    assert person["commits"] == 3
    assert {i["email"] for i in person["identities"]} == {
        "eb@laptop.example",
        "4242+eatingbug@users.noreply.github.com",
        "Eating.Bug@mail.example",
    }
    (why,) = person["merged"]
    assert (why["rule"], why["value"]) == ("login", "eatingbug")
    assert len(why["identities"]) == 3
    assert report["authors"][1]["merged"] == []


def test_bots_by_pattern_and_people_who_only_look_like_bots(repo):
    repo.commit({"a.py": "a = 1\n"}, name="Sourcery AI", email="bot@sourcery.ai")
    repo.commit({"b.py": "b = 1\n"}, name="ci", email="release-bot@corp.example")
    repo.commit({"c.py": "c = 1\n"}, name="Jane Talbot", email="talbot@example.org")
    repo.commit({"d.py": "d = 1\n"}, name="Nightly Runner", email="runner@ci.example")
    report = run(repo.path)
    assert {b["email"] for b in report["bots"]} == {"bot@sourcery.ai", "release-bot@corp.example"}
    assert [a["email"] for a in report["authors"]] == ["runner@ci.example", "talbot@example.org"]
    extended = run(repo.path, bots=(*DEFAULT_BOTS, "*@ci.example"))
    assert [a["email"] for a in extended["authors"]] == ["talbot@example.org"]


def test_figures_without_bots_have_a_twin_with_bots(repo):
    for day in range(3):
        repo.commit({f"m{day}.py": f"x = {day}\n"}, at=BASE + timedelta(days=day))
    for day in range(3, 7):
        repo.commit(
            {"requirements.txt": f"numpy==2.{day}\n"},
            name="renovate[bot]",
            email="29139614+renovate[bot]@users.noreply.github.com",
            at=BASE + timedelta(days=day),
            committer=("GitHub", "noreply@github.com"),
        )
    report = run(repo.path)
    assert (report["commits"], report["commits_including_bots"]) == (3, 7)
    assert (report["active_days"], report["active_days_including_bots"]) == (3, 7)
    assert report["last_commit"] == (BASE + timedelta(days=2)).isoformat()
    assert report["last_commit_including_bots"] == (BASE + timedelta(days=6)).isoformat()
    assert report["first_commit_including_bots"] == report["first_commit"]
    assert (report["history_hours"], report["history_hours_including_bots"]) == (48.0, 144.0)
    assert (report["web_upload_commits"], report["web_upload_commits_including_bots"]) == (0, 4)


# -- figures that mean what they say ------------------------------------------------------


def test_a_csv_upload_is_not_a_code_dump(repo):
    for day in range(5):
        code = "\n".join(f"v{day}_{j} = {j}" for j in range(30)) + "\n"
        repo.commit({f"src/step{day}.py": code}, at=BASE + timedelta(days=day))
    rows = "\n".join(f"{i},{i * 2},{i % 7}" for i in range(5000)) + "\n"
    csv_commit = repo.commit({"train.csv": "a,b,c\n" + rows}, at=BASE + timedelta(days=5))
    repo.commit({"vendor/lib.js": "x\n" * 400, "package-lock.json": "{}\n" * 300})
    repo.commit({"explore.ipynb": json.dumps({"cells": []})})
    report = run(repo.path)
    assert report["largest_commit_share"] == pytest.approx(0.2, abs=0.01)
    assert report["largest_commit_share_all_files"] > 0.8
    assert report["largest_commit_all_files"] == csv_commit
    assert report["lines_added"] == {"all": 5851, "code": 150, "data": 5001, "vendored": 700}
    assert report["non_code_files"] == {
        "data": [{"path": "train.csv", "lines_added": 5001}],
        "notebook": [{"path": "explore.ipynb", "lines_added": 0}],
        "vendored": [
            {"path": "package-lock.json", "lines_added": 300},
            {"path": "vendor/lib.js", "lines_added": 400},
        ],
    }


def test_licence_only_from_a_licence_file(repo, tmp_path):
    readme = "# P\n\n## License\n\nMIT \u2013 see LICENSE\n"
    repo.commit({"README.md": readme})
    report = run(repo.path)
    assert (report["license"], report["license_status"]) == (None, "mentioned, no licence file")
    assert report["license_mentioned"] == "MIT"

    with_file = RepoBuilder(tmp_path / "with")
    with_file.commit(
        {
            "README.md": readme,
            "LICENSE": "MIT License\n\nPermission is hereby granted, free of "
            "charge, to any person\n",
        }
    )
    report = run(with_file.path)
    assert (report["license"], report["license_source"], report["license_status"]) == (
        "MIT",
        "file",
        "file",
    )
    assert report["license_file"] == "LICENSE"

    odd = RepoBuilder(tmp_path / "odd")
    odd.commit({"LICENSE.txt": "Do what you like.\n"})
    report = run(odd.path)
    assert (report["license"], report["license_status"]) == (None, "file, licence not recognised")


def test_tests_in_every_usual_place_and_files_without_tests(repo):
    repo.commit(
        {
            "test/test_a.py": "def test_a():\n    assert True\n",
            "testing/check_b.py": "def test_b():\n    assert True\n",
            "shop/tests.py": "class T:\n    def test_c(self):\n        pass\n",
            "pkg/model_test.py": "def test_d():\n    pass\n",
            "tests/helpers.py": "def make():\n    return 1\n",
            "test_placeholder.py": "# tests to come\n",
        }
    )
    report = run(repo.path)
    assert report["tests"] == {"files": 4, "functions": 4}
    assert report["test_files_without_tests"] == ["test_placeholder.py", "tests/helpers.py"]


def test_ci_files_say_whether_they_run_the_tests(repo):
    repo.commit(
        {
            ".github/workflows/test.yml": (
                "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - run: python -m pytest -q\n"
            ),
            ".github/workflows/lint.yml": (
                "on: push\njobs:\n  l:\n    steps:\n"
                "      # - run: pytest\n      - run: ruff check .\n"
            ),
        }
    )
    report = run(repo.path)
    assert report["ci"] == ["github-actions"]
    assert report["ci_files"] == [
        {"path": ".github/workflows/lint.yml", "system": "github-actions", "runs_tests": False},
        {"path": ".github/workflows/test.yml", "system": "github-actions", "runs_tests": True},
    ]
    assert report["ci_runs_tests"] is True


# -- the history parser -------------------------------------------------------------------


def test_block_parser_and_line_parser_agree_on_a_real_patch_log(repo):
    repo.commit({"a.py": "x = 1\ny = 2\n", "d/train.csv": "a,b\n1,2\n", "logo.png": b"\x89PNG\0\1"})
    repo.commit({"a.py": "x = 1\n++y = 3\n--z\n", "n.ipynb": "{}\n"})
    repo.commit({"b.txt": "no newline at end"})
    repo.commit({"a.py": None, 'caf\u00e9 "q".py': "w = 1\r\n"})
    out = git(
        repo.path,
        "log",
        "-p",
        "-U0",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--format=%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%ad%x1f%P%x1f%ce",
        "--date=format:%Y-%m-%d",
    )
    by_lines: list = []
    by_blocks: list = []
    line_commits = list(
        parse_log([line + "\n" for line in out.split("\n")], lambda *a: by_lines.append(a))
    )
    # pieces cut anywhere, even inside a record
    pieces = [out[i : i + 37] for i in range(0, len(out), 37)]
    block_commits = list(parse_patch_log(pieces, lambda *a: by_blocks.append(a)))
    assert [
        (
            c.sha,
            c.lines_added,
            c.code_lines,
            c.other_files,
            c.binary_files,
            c.notebook_files,
            c.blobs,
        )
        for c in line_commits
    ] == [
        (
            c.sha,
            c.lines_added,
            c.code_lines,
            c.other_files,
            c.binary_files,
            c.notebook_files,
            c.blobs,
        )
        for c in block_commits
    ]
    assert by_lines == by_blocks
    second = block_commits[2]
    assert (second.lines_added, second.code_lines, second.notebook_files) == (2, 2, 1)
    assert ("a.py", 2, ["++y = 3", "--z"]) in by_blocks
    first = block_commits[3]
    assert (first.code_lines, first.other_files, first.binary_files) == (
        2,
        [("d/train.csv", "data", 2)],
        1,
    )
    assert ('caf\u00e9 "q".py', 1, ["w = 1"]) in by_blocks
