"""The evidence report on repositories built to show one fact each (issue 4)."""

from __future__ import annotations

import base64
import json
import random
from datetime import timedelta
from pathlib import Path

import pytest

from credence.portfolios.analysis import analyze
from credence.portfolios.gitsafe import Limits
from credence.portfolios.tests.gitrepos import BASE, TEST_LIMITS, RepoBuilder


def run(path: Path, **kwargs) -> dict:
    return analyze(str(path), limits=kwargs.pop("limits", TEST_LIMITS), **kwargs)


def fake_aws_key() -> str:
    # built at run time so no key-shaped literal lives in this repository
    return "AKIA" + "".join(random.Random(4).choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", k=16))


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "src")


def test_identities_merge_by_email_login_and_name_and_bots_are_excluded(repo):
    repo.commit({"a.py": "x = 1\n"}, name="Jane Doe", email="jane@laptop.example")
    repo.commit({"b.py": "y = 2\n"}, name="Jane Doe", email="1234+jdoe@users.noreply.github.com")
    repo.commit({"c.py": "z = 3\n"}, name="jdoe", email="jdoe@users.noreply.github.com")
    repo.commit({"d.py": "w = 4\n"}, name="ubuntu", email="ubuntu@ip-172-31-5-9.ec2.internal")
    repo.commit({"e.py": "v = 5\n"}, name="Bob", email="bob@example.org")
    repo.commit(
        {"requirements.txt": "numpy==2.0\n"},
        name="dependabot[bot]",
        email="49699333+dependabot[bot]@users.noreply.github.com",
    )
    repo.commit({"f.py": "u = 6\n"}, name="github-actions", email="actions@github.com")
    repo.commit(
        {"g.py": "t = 7\n"},
        name="pre-commit-ci[bot]",
        email="66853113+pre-commit-ci[bot]@users.noreply.github.com",
    )

    report = run(repo.path, identities=["jdoe"])

    assert report["commits"] == 5  # bots left out
    assert {b["name"] for b in report["bots"]} == {
        "dependabot[bot]",
        "github-actions",
        "pre-commit-ci[bot]",
    }
    jane = report["authors"][0]
    assert jane["commits"] == 3
    assert {i["email"] for i in jane["identities"]} == {
        "jane@laptop.example",
        "1234+jdoe@users.noreply.github.com",
        "jdoe@users.noreply.github.com",
    }
    assert report["unattributed"] == [
        {"name": "ubuntu", "email": "ubuntu@ip-172-31-5-9.ec2.internal"}
    ]
    assert report["candidate_share"] == {"commits": 0.6, "lines": 0.6}
    assert report["candidate_authored"] is True


def test_declaring_the_vm_identity_attributes_it(repo):
    repo.commit({"a.py": "x = 1\n"}, name="Jane Doe", email="jane@laptop.example")
    repo.commit({"d.py": "w = 4\n"}, name="ubuntu", email="ubuntu@ip-172-31-5-9.ec2.internal")
    report = run(repo.path, identities=["jane@laptop.example", "ubuntu@ip-172-31-5-9.ec2.internal"])
    assert report["unattributed"] == []
    assert report["candidate_share"]["commits"] == 1.0


def test_owner_who_authored_nothing_is_visible(repo):
    repo.commit({"a.py": "x = 1\n"}, name="Someone Else", email="else@example.org")
    report = run(repo.path, identities=["candidate@example.org"])
    assert report["candidate_authored"] is False
    assert report["candidate_share"] == {"commits": 0.0, "lines": 0.0}


def test_a_dump_after_an_empty_first_commit_shows_in_largest_share_and_span(repo):
    repo.commit({"README.md": "# x\n"}, at=BASE, message="first commit")
    code = {f"pkg/m{i}.py": "\n".join(f"v{j} = {j}" for j in range(50)) + "\n" for i in range(20)}
    repo.commit(code, at=BASE + timedelta(minutes=3), message="upload")
    repo.commit({"README.md": "# x\n\nmore\n"}, at=BASE + timedelta(minutes=7))
    report = run(repo.path)
    assert report["largest_commit_share"] > 0.99
    assert report["history_hours"] == pytest.approx(7 / 60, abs=0.01)
    assert report["active_days"] == 1


def test_web_ui_uploads_are_counted(repo):
    repo.commit({"a.py": "x\n"}, committer=("GitHub", "noreply@github.com"))
    repo.commit({"b.py": "y\n"})
    assert run(repo.path)["web_upload_commits"] == 1


def notebook(cells: list[dict]) -> str:
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


def test_notebooks_count_code_cells_not_json_lines(repo):
    png = base64.b64encode(random.Random(1).randbytes(30_000)).decode()
    cells = [
        {"cell_type": "markdown", "source": ["# Title"]},
        {"cell_type": "code", "source": ["import torch\n", "x = 1"], "outputs": []},
        {
            "cell_type": "code",
            "source": "print(1)",
            "outputs": [{"output_type": "display_data", "data": {"image/png": png}}],
        },
    ]
    repo.commit({"analysis.ipynb": notebook(cells), "clean.ipynb": notebook(cells[:2])})
    report = run(repo.path)
    assert report["notebooks"] == {"count": 2, "with_outputs": 1, "code_cells": 3, "unreadable": 0}
    assert report["authors"][0]["lines_added"] == 0  # notebook JSON is not counted as lines
    assert "PyTorch" in report["frameworks"]
    assert report["secrets"] == []  # the base64 image raises nothing


def test_files_named_like_tests_without_tests_count_zero(repo):
    repo.commit(
        {
            "tests/test_model.py": (
                "def test_fit():\n    assert 1\n\nasync def test_b():\n    pass\n"
            ),
            "tests/test_empty.py": "# TODO write tests\nimport os\n",
            "test_utils.py": "def helper():\n    return 1\n",
            "web/app.test.js": "test('renders', () => {});\nit('works', () => {});\n",
            "src/model.py": "def test_like_name_outside_tests():\n    pass\n",
        }
    )
    report = run(repo.path)
    assert report["tests"] == {"files": 2, "functions": 4}
    assert report["test_files_without_tests"] == ["test_utils.py", "tests/test_empty.py"]


def test_license_file_and_readme_only_license(repo, tmp_path):
    repo.commit({"LICENSE": "Apache License\nVersion 2.0, January 2004\n", "README.md": "# p\n"})
    report = run(repo.path)
    assert (report["license"], report["license_source"]) == ("Apache-2.0", "file")

    other = RepoBuilder(tmp_path / "other")
    other.commit(
        {
            "README.md": (
                "# Project\n\n## Usage\n\nrun it\n\n## License\n\nReleased under the MIT license.\n"
            )
        }
    )
    report = run(other.path)
    # A README's word is no licence (issue 15): mentioned, no licence file.
    assert (report["license"], report["license_source"]) == (None, None)
    assert report["license_mentioned"] == "MIT"
    assert report["license_status"] == "mentioned, no licence file"
    assert report["readme"]["sections"] == ["usage"]

    bare = RepoBuilder(tmp_path / "bare")
    bare.commit({"README.md": "# Project\n"})
    assert run(bare.path)["license"] is None


def test_manifests_read_lines_standard_parsers_reject(repo):
    repo.commit(
        {
            "requirements.txt": (
                "torch==2.1.0+cu118\n"
                "--extra-index-url https://download.pytorch.org/whl/cu118\n"
                "numpy==1.26.4 ; python_version<'3.12'\n"
            ),
            "requirements-dev.txt": "pytest>=8\n",
            "pyproject.toml": (
                '[project]\nname = "x"\ndependencies = ["fastapi==0.110.0", "mlflow"]\n'
            ),
            "environment.yml": "dependencies:\n  - python=3.11\n  - pip:\n    - shap==0.45.0\n",
            "poetry.lock": "# lock\n",
            "Dockerfile": "FROM python:3.11\n",
        }
    )
    report = run(repo.path, topics=[("model-deployment", "Deployment"), ("explainability", "XAI")])
    by_path = {m["path"]: m for m in report["manifests"]}
    assert by_path["requirements.txt"]["pinned"] is True
    assert by_path["requirements.txt"]["dependencies"] == 2
    assert by_path["requirements-dev.txt"]["pinned"] is False
    assert by_path["pyproject.toml"]["unpinned"] == ["mlflow"]
    assert by_path["environment.yml"]["pinned"] is True
    assert by_path["poetry.lock"]["pinned"] is True
    assert report["environment"] == ["Dockerfile", "environment.yml"]
    assert {"PyTorch", "FastAPI", "MLflow", "SHAP"} <= set(report["frameworks"])
    assert report["relevance"]["score"] == 100
    evidence = report["relevance"]["topics"][0]["evidence"][0]
    assert evidence == {
        "framework": "FastAPI",
        "path": "pyproject.toml",
        "line": 3,
        "text": 'dependencies = ["fastapi==0.110.0", "mlflow"]',
    }


def test_ci_readme_and_environment(repo):
    repo.commit(
        {
            ".github/workflows/ci.yml": "on: push\n",
            ".gitlab-ci.yml": "test:\n  script: pytest\n",
            "README.md": (
                "# Thing\n\nSome words here.\n\n## Install\n\npip install .\n\n"
                "## Results\n\nF1 0.9\n"
            ),
        }
    )
    report = run(repo.path)
    assert report["ci"] == ["github-actions", "gitlab-ci"]
    assert report["readme"]["sections"] == ["install", "results"]
    assert report["readme"]["words"] == 11


def test_secrets_are_found_over_the_whole_history_without_values(repo):
    key = fake_aws_key()
    repo.commit({"config.py": f'AWS_KEY = "{key}"\n'})
    repo.commit({"config.py": "AWS_KEY = os.environ['AWS_KEY']\n"}, message="remove key")
    repo.commit({".env": "HF_TOKEN=hf_QmZx81LwPq2vRt6yNs\nAPI_KEY=<your key here>\n"})
    report = run(repo.path)
    assert report["secrets"] == [
        {"path": ".env", "line": 1, "kind": "Secret in environment file", "in_pinned_tree": True},
        {"path": "config.py", "line": 1, "kind": "AWS Access Key", "in_pinned_tree": False},
    ]
    assert key not in json.dumps(report)
    assert "hf_QmZx81LwPq2vRt6yNs" not in json.dumps(report)


def test_no_false_positives_from_hashes_and_images(repo):
    shas = "\n".join(f"- {random.Random(i).randbytes(20).hex()} fix" for i in range(50))
    svg = base64.b64encode(random.Random(2).randbytes(5000)).decode()
    repo.commit(
        {
            "CHANGELOG.md": shas + "\n",
            "package-lock.json": json.dumps(
                {"integrity": "sha512-" + base64.b64encode(random.Random(3).randbytes(64)).decode()}
            ),
            "page.html": f'<img src="data:image/png;base64,{svg}">\n',
            "tests/test_login.py": 'def test_login():\n    login(password="hunter2")\n',
        }
    )
    assert run(repo.path)["secrets"] == []


def test_partial_clone_reports_unreadable_blobs(repo):
    repo.commit({"data/weights.bin": random.Random(5).randbytes(200_000), "a.py": "x = 1\n"})
    limits = Limits(protocols=("file",), max_blob_bytes=50_000, large_file_bytes=100_000)
    report = run(repo.path, limits=limits)
    assert report["unreadable"] == [
        {"path": "data/weights.bin", "reason": "not in the clone (partial clone or size limit)"}
    ]
    assert report["large_files"] == [
        {"path": "data/weights.bin", "size": None, "in_pinned_tree": True}
    ]
    assert report["commits"] == 1


def test_large_files_over_history(repo):
    repo.commit({"model.pt": random.Random(6).randbytes(120_000)})
    repo.commit({"model.pt": None})
    limits = Limits(protocols=("file",), large_file_bytes=100_000)
    report = run(repo.path, limits=limits)
    assert report["large_files"] == [{"path": "model.pt", "size": 120_000, "in_pinned_tree": False}]


def test_pinned_commit_is_analysed_not_the_head(repo):
    first = repo.commit({"a.py": "import sklearn\n"})
    repo.commit({"b.py": "import torch\n"})
    report = run(repo.path, commit=first)
    assert report["commit"] == first
    assert report["commits"] == 1
    assert report["frameworks"] == ["scikit-learn"]


def test_a_fork_counts_own_commits_after_the_branch_point(tmp_path):
    from credence.portfolios.tests.gitrepos import git

    upstream = RepoBuilder(tmp_path / "upstream")
    for i in range(3):
        upstream.commit({f"up{i}.py": f"x = {i}\n"}, name="Original", email="orig@example.org")
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(upstream.path), str(fork))
    forked = RepoBuilder.__new__(RepoBuilder)
    forked.path, forked.clock = fork, upstream.clock
    forked.commit({"mine.py": "a = 1\nb = 2\n"}, name="Cand", email="cand@example.org")
    forked.commit({"more.py": "c = 3\n"}, name="Cand", email="cand@example.org")

    report = run(fork, upstream=str(upstream.path), identities=["cand@example.org"])
    assert report["commits"] == 5
    assert report["fork"] == {
        "upstream": str(upstream.path),
        "own_commits": 2,
        "own_lines_added": 3,
        "candidate_own_commits": 2,
    }

    copy = run(upstream.path, upstream=str(upstream.path), identities=["cand@example.org"])
    assert copy["fork"]["own_commits"] == 0
    assert copy["candidate_authored"] is False
