"""The pure parts of the analysis: identities, log parsing, manifests, signals, secrets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.portfolios import hygiene, manifests, signals
from credence.portfolios.history import (
    Commit,
    Identity,
    authorship,
    github_login,
    is_bot,
    is_generic,
    parse_log,
    parse_patch_log,
    unquote,
)


@pytest.mark.parametrize(
    ("email", "login"),
    [
        ("123+JDoe@users.noreply.github.com", "jdoe"),
        ("jdoe@users.noreply.github.com", "jdoe"),
        ("jdoe@example.org", None),
    ],
)
def test_github_login_from_noreply(email, login):
    assert github_login(email) == login


def test_bots_and_machine_identities():
    assert is_bot(Identity("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"))
    assert is_bot(Identity("github-actions", "41898282+github-actions@users.noreply.github.com"))
    assert not is_bot(Identity("Robert", "bob@example.org"))
    assert is_generic(Identity("ubuntu", "ubuntu@ip-10-1-2-3"))
    assert is_generic(Identity("root", "root@localhost"))
    assert is_generic(Identity("jovyan", "jovyan@b1c2d3.local"))
    assert not is_generic(Identity("ubuntu", "jane@example.org"))  # a real e-mail


def test_generic_names_never_merge_different_people():
    commits = [
        Commit("a", Identity("root", "alice@example.org"), 0, "2026-01-01", 1, "x", 5),
        Commit("b", Identity("root", "bob@example.org"), 0, "2026-01-01", 1, "x", 5),
    ]
    assert len(authorship(commits).authors) == 2


@given(st.lists(st.text(alphabet=st.characters(), max_size=80), max_size=30))
def test_parse_log_never_crashes_on_arbitrary_output(lines):
    for commit in parse_log(lines):
        assert commit.lines_added >= 0


@given(
    st.lists(
        st.sampled_from(
            [
                "\x1eabc\x1fAda\x1fada@x\x1f1700000000\x1f2023-11-14\x1fp1\x1fada@x\n",
                ":000000 100644 " + "0" * 40 + " " + "b" * 40 + " A\ta.py\n",
                "\ndiff --git a/a.py b/a.py\n",
                "--- /dev/null\n",
                "+++ b/a.py\n",
                '+++ "b/caf\\303\\251"\n',
                "@@ -0,0 +1,3 @@\n",
                "@@ -1 +1 @@\n",
                "@@ -x +y @@\n",
                "+added\n",
                "-removed\n",
                "\\ No newline at end of file\n",
                "Binary files /dev/null and b/x.png differ\n",
            ]
        )
        | st.text(max_size=40),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=50),
)
def test_parse_patch_log_never_crashes_and_hands_on_only_lists(pieces, size):
    text = "".join(pieces)
    hunks: list = []
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    for commit in parse_patch_log(chunks, lambda *a: hunks.append(a)):
        assert commit.lines_added >= 0 and commit.code_lines <= commit.lines_added
    for path, first, lines in hunks:
        assert isinstance(path, str) and isinstance(first, int) and lines


def test_parse_log_reads_numstat_and_raw():
    text = [
        "\x1eabc\x1fAda\x1fada@x\x1f1700000000\x1f2023-11-14\x1fp1\x1fada@x",
        ":000000 100644 " + "0" * 40 + " " + "b" * 40 + " A\tsrc/a.py",
        "3\t0\tsrc/a.py",
        "-\t-\tlogo.png",
        "400\t0\tnb.ipynb",
    ]
    (commit,) = parse_log(text)
    assert (commit.lines_added, commit.binary_files, commit.notebook_files) == (3, 1, 1)
    assert commit.blobs == [("b" * 40, "src/a.py")]


def test_unquote_c_quoted_paths():
    assert unquote('"caf\\303\\251.py"') == "café.py"
    assert unquote("plain.py") == "plain.py"


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("torch==2.1.0+cu118", ("torch", True)),
        ("torch == 2.1.0+cu118  # gpu", ("torch", True)),
        ("Scikit_Learn>=1.4", ("scikit-learn", False)),
        ("numpy", ("numpy", False)),
        ("pandas[excel]===2.2.0", ("pandas", True)),
        ("-e git+https://github.com/a/b.git@" + "a" * 40 + "#egg=bee", ("bee", True)),
        ("mylib @ git+https://github.com/a/mylib.git@main", ("mylib", False)),
        ("--index-url https://example.org/simple", None),
        ("-r base.txt", None),
        ("# comment", None),
        ("", None),
    ],
)
def test_requirement_lines(line, parsed):
    assert manifests.requirement_line(line) == parsed


def test_broken_manifests_are_reported_not_raised():
    manifest = manifests.parse_manifest("pyproject.toml", "[project\n")
    assert manifest.error == "TOMLDecodeError"
    assert manifests.parse_manifest("package.json", "{").error == "JSONDecodeError"
    npm = manifests.parse_manifest("package.json", '{"dependencies": {"a": "1.2.3", "b": "^2"}}')
    assert [(n, p) for n, p, _ in npm.dependencies] == [("a", True), ("b", False)]


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/test_a.py", True),
        ("pkg/a_test.py", True),
        ("tests/helpers.py", True),
        ("tests/__init__.py", False),
        ("tests/conftest.py", False),
        ("src/contest.py", False),
        ("web/a.spec.ts", True),
        ("x_test.go", True),
    ],
)
def test_test_file_names(path, is_test):
    assert signals.is_test_file(path) is is_test


def test_count_tests_falls_back_on_syntax_errors_and_reads_go_and_js():
    assert signals.count_tests("t.py", "def test_a(:\n    pass\ndef test_b():\n") == 2
    assert signals.count_tests("x_test.go", "func TestA(t *testing.T) {}\nfunc helper() {}\n") == 1
    assert (
        signals.count_tests("a.test.js", "describe('x', () => {\n  it('a', () => {});\n});\n") == 1
    )


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("MIT License\n\nPermission is hereby granted, free of charge, to any person", "MIT"),
        ("GNU GENERAL PUBLIC LICENSE\n   Version 3, 29 June 2007", "GPL-3.0"),
        ("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3", "AGPL-3.0"),
        ("SPDX-License-Identifier: BSD-3-Clause\n", "BSD-3-Clause"),
        ("All rights reserved.", None),
    ],
)
def test_license_texts(text, spdx):
    assert signals.license_from_text(text) == spdx


def test_license_from_readme_needs_a_license_section():
    assert signals.license_from_readme("# X\n\nLicense\n=======\n\nApache 2.0\n") == "Apache-2.0"
    assert signals.license_from_readme("# X\n\nWe like MIT.\n") is None


def test_env_rules_skip_placeholders_and_comments():
    text = (
        "# SECRET_KEY=realvalue123456\n"
        "SECRET_KEY=${SECRET_KEY}\n"
        "API_KEY=<your-api-key>\n"
        "PASSWORD=changeme\n"
        "DEBUG=true\n"
        "export STRIPE_SECRET=q8Zr2LmN5vB7xC1k\n"
    )
    found = hygiene.scan_text(".env.production", text)
    assert [(f.line, f.kind) for f in found] == [(6, "Secret in environment file")]
    assert hygiene.scan_text("settings.py", text) == []  # only environment files


def test_notebook_image_lines_are_not_scanned():
    key = "AKIA" + "Q" * 16
    assert hygiene.scan_text("n.ipynb", f'"image/png": "{key}",\n') == []
    assert [f.kind for f in hygiene.scan_text("n.ipynb", f'"x = \\"{key}\\""\n')] == [
        "AWS Access Key"
    ]


def _rand(seed: int, alphabet: str, n: int) -> str:
    import random

    return "".join(random.Random(seed).choices(alphabet, k=n))


def test_block_search_finds_what_the_full_detectors_find_line_by_line():
    """The added-line scanner's faster, gated block search must miss nothing the detectors
    find on their own (values are built at run time; none is a real key)."""
    upper, lower = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "abcdefghijklmnopqrstuvwxyz0123456789"
    alnum = upper + lower
    hexa = "0123456789abcdef"
    lines = [
        "AKIA" + _rand(1, upper, 16),
        'aws_secret_key = "' + _rand(2, alnum, 40) + '"',
        "token: AKC" + _rand(3, alnum, 12) + " ",
        "x = AP6" + _rand(4, alnum, 10),
        "ghp_" + _rand(5, alnum, 36),
        "glpat-" + _rand(6, alnum, 24),
        "xoxb-123456-" + _rand(7, lower, 20),
        "sk_live_" + _rand(8, alnum, 24),
        "rk_live_" + _rand(9, alnum, 24),
        "eyJ" + _rand(10, alnum, 20) + ".eyJ" + _rand(11, alnum, 20) + "." + _rand(12, alnum, 20),
        "-----BEGIN RSA PRIVATE KEY-----",
        "bot = 123456789:" + _rand(13, alnum, 35),
        _rand(14, hexa, 32) + "-us12",
        "AC" + _rand(15, lower, 32),
        "SG." + _rand(16, alnum, 22) + "." + _rand(17, alnum, 43),
        "M" + _rand(18, alnum, 23) + "." + _rand(19, alnum, 6) + "." + _rand(20, alnum, 27),
        "cloudant_password = '" + _rand(21, "abcdefghijklmnopqrstuvwxyz", 24) + "'",
        "https://user:" + _rand(22, hexa, 64) + "@acct.cloudant.com",
        "ibm_cloud_iam_key = '" + _rand(23, alnum, 44) + "'",
        "cos_secret_access_key = '" + _rand(24, hexa, 48) + "'",
        "softlayer_api_key = '" + _rand(25, lower, 64) + "'",
        "https://api.softlayer.com/soap/v3/" + _rand(26, lower, 64),
        "//registry.npmjs.org/:_authToken=npm_" + _rand(27, alnum, 36),
        "sq0csp-" + _rand(28, alnum, 43),
        "pypi-AgEIcHlwaS5vcmc" + _rand(29, alnum, 80),
        "AccountKey=" + _rand(30, alnum, 88),
        "https://hooks.slack.com/services/T"
        + _rand(31, upper, 8)
        + "/B"
        + _rand(32, upper, 8)
        + "/"
        + _rand(33, alnum, 24),
        "postgres://app:" + _rand(34, alnum, 12) + "@db.internal/app",
        "DB_PASSWORD: " + _rand(35, alnum, 14),
        "İstanbul api_key = '" + _rand(36, alnum, 20) + "'",  # lower() changes the length
        "x" * 5000 + "ghp_" + _rand(37, alnum, 36),  # beyond the first chunk
        "nothing to see here",
    ]
    for path in ("config.yml", "notes.txt", "deploy/.env.production"):
        expected = {(f.line, f.kind) for f in hygiene.scan_text(path, "\n".join(lines))}
        scanner = hygiene.AddedLineScanner()
        scanner.add(path, 1, lines)
        found = {(f.line, f.kind) for f in scanner.findings()}
        assert found == expected
        assert len(expected) >= len(lines) - 3
