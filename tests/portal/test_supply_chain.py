"""Supply chain: pinned dependencies, known vulnerabilities (pip-audit), static analysis (bandit).

- The locks (``requirements.lock``, ``requirements-dev.lock``, written by ``make lock``) pin
  every package to one version with the sha256 of its files, are in step with the ranges in
  ``requirements*.txt``, pin the same runtime versions, and the environment the tests run in
  is exactly the dev lock.
- pip-audit finds no known vulnerability in either lock that is not explained in
  ``.pip-audit-ignore.toml``, and every explanation there still applies.
- bandit finds nothing in the project's code at low severity and confidence and above;
  every ``# nosec`` names its tests and gives a reason.

Each check is a function over plain data, exercised below on inputs made to fail, so a
check that could never fail would show.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tokenize
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCKS = {
    "requirements.txt": "requirements.lock",
    "requirements-dev.txt": "requirements-dev.lock",
    "requirements-bootstrap.txt": "requirements-bootstrap.lock",
}
IGNORE_FILE = BASE_DIR / ".pip-audit-ignore.toml"
# Installed by `python -m venv` itself and needed by no locked package.
VENV_BOOTSTRAP = {"setuptools", "wheel"}


# --- Lock files -----------------------------------------------------------------------------


@dataclass
class Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: set[str] = field(default_factory=set)


def parse_lock(text: str) -> dict[str, Pin]:
    """The pins of a lock written by ``uv pip compile --generate-hashes`` (with its ``# via`` notes)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        entry = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?(==|\S*)\s*(\S*)", line)
        if entry and not line.startswith((" ", "#", "-")):
            if entry[2] != "==":
                raise ValueError(f"not pinned with ==: {line.strip()}")
            current = Pin(canonicalize_name(entry[1]), entry[3].rstrip("\\").strip())
            pins[current.name] = current
        elif current and (found := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            current.hashes.append(found[1])
        elif current and (found := re.match(r"^\s+#\s+(?:via\s+)?(-r \S+|[A-Za-z0-9][\w.-]*)\s*$", line)):
            current.via.add(found[1])
    for pin in pins.values():
        pin.via.discard("via")  # the "# via" line above a list of reasons
    return pins


def parse_ranges(path: Path) -> list[Requirement]:
    """The requirements a person wrote in a requirements*.txt (``-r`` lines left out)."""
    found = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def lock_problems(ranges: list[Requirement], pins: dict[str, Pin], source: str) -> list[str]:
    """What makes a lock out of step with its ranges file: a requirement missing or outside
    its range, a package without hashes, a direct pin the ranges no longer ask for."""
    problems = []
    wanted = {canonicalize_name(r.name): r for r in ranges}
    for name, requirement in wanted.items():
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(Version(pin.version), prereleases=True):
            problems.append(f"{name}=={pin.version} is outside {requirement}")
    for pin in pins.values():
        if not pin.hashes:
            problems.append(f"{pin.name}=={pin.version} has no --hash")
        if f"-r {source}" in pin.via and pin.name not in wanted:
            problems.append(f"{pin.name} is locked as a requirement of {source}, which no longer lists it")
    return problems


def environment_problems(installed: dict[str, str], pins: dict[str, Pin]) -> list[str]:
    problems = [
        f"{name}: installed {installed.get(name, 'nothing')}, locked {pin.version}"
        for name, pin in pins.items()
        if installed.get(name) != pin.version
    ]
    problems += [
        f"{name}=={version} is installed but not in the lock"
        for name, version in installed.items()
        if name not in pins and name not in VENV_BOOTSTRAP
    ]
    return sorted(problems)


def _lock(name: str) -> dict[str, Pin]:
    return parse_lock((BASE_DIR / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", LOCKS)
def test_lock_is_in_step_with_its_ranges(source):
    problems = lock_problems(parse_ranges(BASE_DIR / source), _lock(LOCKS[source]), source)
    assert not problems, f"{LOCKS[source]} is out of step with {source}; run `make lock`:\n" + "\n".join(problems)


def test_dev_lock_pins_the_runtime_lock():
    runtime, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    different = [
        f"{name}: runtime {pin.version}, dev {dev[name].version if name in dev else 'missing'}"
        for name, pin in runtime.items()
        if name not in dev or dev[name].version != pin.version or set(dev[name].hashes) != set(pin.hashes)
    ]
    assert not different, "run `make lock`:\n" + "\n".join(different)
    assert len(runtime) > 40 and len(dev) > len(runtime)


def test_installed_environment_is_the_dev_lock():
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    problems = environment_problems(installed, _lock("requirements-dev.lock"))
    assert not problems, "the environment differs from requirements-dev.lock; run `make install-dev`:\n" + "\n".join(
        problems
    )


def test_make_and_docker_install_from_the_locks():
    makefile = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(VENV\)/\.installed: requirements\.lock ", makefile, re.M)
    assert re.search(r"^\$\(VENV\)/\.installed-dev: requirements-dev\.lock ", makefile, re.M)
    assert "PIP_LOCKED := $(BIN)/python -m pip install $(PIP_QUIET) --require-hashes" in makefile
    # The venv's installer comes first, pinned and hash-checked, whatever pip the interpreter bundled.
    assert re.search(r"^\$\(VENV\)/\.installed: requirements\.lock \$\(VENV\)/\.bootstrapped$", makefile, re.M)
    assert "--require-hashes -r requirements-bootstrap.lock" in makefile
    dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    bootstrap = dockerfile.index("pip install --require-hashes -r requirements-bootstrap.lock")
    assert bootstrap < dockerfile.index("pip install --require-hashes -r requirements.lock")


def test_bootstrap_lock_pins_the_dev_locks_pip():
    """The pip that installs the locks is the one the dev lock pins (same version, same hashes),
    so `make install-dev` does not change the installer under the suite's feet."""
    bootstrap, dev = _lock("requirements-bootstrap.lock"), _lock("requirements-dev.lock")
    assert set(bootstrap) == {"pip"}
    assert bootstrap["pip"].version == dev["pip"].version
    assert set(bootstrap["pip"].hashes) == set(dev["pip"].hashes)
    assert Version(bootstrap["pip"].version) >= Version("25.3")


LOCK_SAMPLE = """\
django==5.2.1 \\
    --hash=sha256:{h}
    # via -r requirements.txt
sqlparse==0.5.0 \\
    --hash=sha256:{h}
    # via django
oldthing==1.0 \\
    --hash=sha256:{h}
    # via
    #   -r requirements.txt
    #   django
nohash==2.0
    # via django
""".format(h="a" * 64)


def test_lock_checks_catch_a_lock_out_of_step(tmp_path):
    ranges_file = tmp_path / "requirements.txt"
    ranges_file.write_text("# comment\n-r other.txt\nDjango>=5.2.3,<5.3  # why\nqrcode>=8\n", encoding="utf-8")
    pins = parse_lock(LOCK_SAMPLE)
    assert pins["oldthing"].via == {"-r requirements.txt", "django"}
    assert lock_problems(parse_ranges(ranges_file), pins, "requirements.txt") == [
        "django==5.2.1 is outside Django<5.3,>=5.2.3",
        "qrcode>=8 is not in the lock",
        "oldthing is locked as a requirement of requirements.txt, which no longer lists it",
        "nohash==2.0 has no --hash",
    ]
    with pytest.raises(ValueError, match="not pinned"):
        parse_lock("django>=5.2 \\\n    --hash=sha256:" + "a" * 64)


def test_environment_check_catches_drift():
    pins = parse_lock(LOCK_SAMPLE)
    installed = {"django": "5.2.1", "sqlparse": "0.5.1", "oldthing": "1.0", "setuptools": "65.5.0", "extra": "1"}
    assert environment_problems(installed, pins) == [
        "extra==1 is installed but not in the lock",
        "nohash: installed nothing, locked 2.0",
        "sqlparse: installed 0.5.1, locked 0.5.0",
    ]


# --- pip-audit ----------------------------------------------------------------------------------


class AuditUnavailable(Exception):
    """The vulnerability service answered for none of the packages."""


def load_ignores(text: str) -> tuple[dict[str, dict], list[str]]:
    """``[[ignore]]`` entries of .pip-audit-ignore.toml by vulnerability id, and what is wrong with them."""
    ignores, problems = {}, []
    for entry in tomllib.loads(text).get("ignore", []):
        vid = str(entry.get("id", "")).strip()
        if not vid:
            problems.append(f"an entry has no id: {entry}")
            continue
        if not entry.get("package"):
            problems.append(f"{vid}: no package")
        if len(str(entry.get("reason", "")).strip()) < 20:
            problems.append(f"{vid}: no reason (at least a sentence: why it does not affect the portal)")
        ignores[vid] = entry
    return ignores, problems


def audit_verdict(report: dict, ignores: dict[str, dict]) -> list[str]:
    """pip-audit's JSON answer against the explained ignores: every problem, or none."""
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies):
        raise AuditUnavailable(f"0 of {len(dependencies)} packages answered, e.g. {skipped[0]['skip_reason']}")
    problems = [f"{d['name']} was not audited: {d['skip_reason']}" for d in skipped]
    seen = set()
    for dep in dependencies:
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            explained = ids & set(ignores)
            seen |= explained
            if not explained:
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                problems.append(f"{dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixed}); upgrade or explain")
    problems += [f"{vid} in .pip-audit-ignore.toml no longer applies: remove it" for vid in sorted(set(ignores) - seen)]
    return problems


def test_ignore_file_entries_are_explained():
    ignores, problems = load_ignores(IGNORE_FILE.read_text(encoding="utf-8"))
    assert not problems, problems


@pytest.mark.slow
def test_locks_have_no_unexplained_known_vulnerability(tmp_path):
    """pip-audit against both locks, with PyPI's vulnerability data (the service pip can reach).

    When the service answers for none of the packages (no network, or a package index that
    does not serve PyPI's per-release JSON) the audit did not happen: the test is skipped with
    the reason in the summary, or fails when ``PIP_AUDIT_REQUIRED=1`` (set it where the real
    PyPI is reachable). A service that answers for some packages and not others fails."""
    ignores, problems = load_ignores(IGNORE_FILE.read_text(encoding="utf-8"))
    assert not problems, problems
    out = tmp_path / "audit.json"
    command = [str(BIN / "pip-audit"), "--disable-pip", "--require-hashes", "--progress-spinner", "off"]
    command += ["--vulnerability-service", "pypi", "--timeout", "30", "--format", "json", "--output", str(out)]
    command += ["--cache-dir", str(tmp_path / "cache")]
    for lock in LOCKS.values():
        command += ["-r", str(BASE_DIR / lock)]
    # pip-audit exits 1 when it finds a vulnerability: the report says which.
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=BASE_DIR)  # nosec B603 # our own argument list
    required = os.environ.get("PIP_AUDIT_REQUIRED", "").lower() in ("1", "true", "yes")
    try:
        if not out.exists():
            last_words = run.stderr.strip().splitlines()[-1:] or [f"exit {run.returncode}"]
            raise AuditUnavailable(last_words[0])
        verdict = audit_verdict(json.loads(out.read_text(encoding="utf-8")), ignores)
    except AuditUnavailable as unavailable:
        message = f"pip-audit could not reach PyPI's vulnerability data, so nothing was audited: {unavailable}"
        if required:
            pytest.fail(message)
        pytest.skip(message + " (PIP_AUDIT_REQUIRED=1 makes this a failure)")
    assert not verdict, "\n".join(verdict)


def _dep(name, version="1.0", vulns=(), skip=None):
    dep = {"name": name, "version": version}
    if skip:
        return {"name": name, "skip_reason": skip}
    dep["vulns"] = [{"id": v, "aliases": [f"CVE-{v}"], "fix_versions": ["9.9"]} for v in vulns]
    return dep


def test_audit_verdict_catches_what_it_must():
    ignores, problems = load_ignores(
        '[[ignore]]\nid = "GHSA-1"\npackage = "a"\nreason = "only the admin command uses the affected parser"\n'
        '[[ignore]]\nid = "GHSA-2"\npackage = "b"\nreason = ""\n'
        '[[ignore]]\nid = "PYSEC-3"\npackage = "c"\nreason = "the service that used it was removed long ago"\n'
    )
    assert problems == ["GHSA-2: no reason (at least a sentence: why it does not affect the portal)"]
    report = {"dependencies": [_dep("a", vulns=["GHSA-1"]), _dep("b", vulns=["GHSA-2"]), _dep("d", vulns=["GHSA-4"])]}
    assert audit_verdict(report, ignores) == [
        "d==1.0: GHSA-4 (fixed in 9.9); upgrade or explain",
        "PYSEC-3 in .pip-audit-ignore.toml no longer applies: remove it",
    ]
    # An alias (CVE) in the ignore file explains the finding too.
    assert audit_verdict({"dependencies": [_dep("a", vulns=["X"])]}, {"CVE-X": {}}) == []
    partly = {"dependencies": [_dep("a"), _dep("b", skip="Dependency not found on PyPI")]}
    assert audit_verdict(partly, {}) == ["b was not audited: Dependency not found on PyPI"]
    with pytest.raises(AuditUnavailable):
        audit_verdict({"dependencies": [_dep("a", skip="not found"), _dep("b", skip="not found")]}, {})


# --- bandit ---------------------------------------------------------------------------------------

# benchmarks/ (make bench, never imported by the portal) is scanned with these tests off;
# every other finding there is fixed or justified inline like the portal's.
BENCHMARK_SKIPS = {
    "B101": "asserts are the benchmarks' checks of what they measure",
    "B311": "seeded random makes the generated data and request mixes reproducible",
    "B404": "the benchmarks start gunicorn, Celery, psql and wrk on this machine",
    "B603": "with argument lists built by the driver, never a shell",
    "B607": "psql, createdb, git and wrk are found on PATH on a developer's machine",
}
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
NOSEC_JUSTIFIED = re.compile(r"^\s+(?P<ids>B\d{3}(?:, B\d{3})*)\s+#\s+(?P<reason>\S.{9,})$")


def bandit(*arguments: str) -> dict:
    run = subprocess.run(  # nosec B603 # our own argument list
        [str(BIN / "bandit"), "--format", "json", "--quiet", *arguments],
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        timeout=300,
    )
    assert run.stdout, run.stderr
    report = json.loads(run.stdout)
    assert not report["errors"], report["errors"]
    return report


def findings(report: dict) -> list[str]:
    return [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_severity']}/{r['issue_confidence']}: "
        f"{r['issue_text']}"
        for r in report["results"]
    ]


def unjustified_nosec(source: str) -> list[tuple[int, str]]:
    """Lines whose ``# nosec`` does not read ``# nosec B123[, B456] # reason of ten characters or more``."""
    bad = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        found = NOSEC.search(token.string) if token.type == tokenize.COMMENT else None
        if found and not NOSEC_JUSTIFIED.match(found["rest"]):
            bad.append((token.start[0], token.string))
    return bad


def _scanned_files():
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    excluded = set(config["tool"]["bandit"]["exclude_dirs"])
    excluded -= {"benchmarks"}  # scanned on its own
    for path in BASE_DIR.rglob("*.py"):
        parts = path.relative_to(BASE_DIR).parts
        if not any(part in excluded for part in parts[:-1]):
            yield path


def test_bandit_finds_nothing_in_the_portal():
    report = bandit("-c", "pyproject.toml", "-r", ".", "--severity-level", "low", "--confidence-level", "low")
    assert report["metrics"]["_totals"]["loc"] > 10_000, "bandit scanned almost nothing"
    assert not findings(report), "fix these, or justify on the line: # nosec BXXX # reason\n" + "\n".join(
        findings(report)
    )


def test_bandit_finds_nothing_in_the_benchmarks():
    skips = ",".join(BENCHMARK_SKIPS)
    report = bandit("-r", "benchmarks", "--skip", skips, "--severity-level", "low", "--confidence-level", "low")
    assert report["metrics"]["_totals"]["loc"] > 1_000
    assert not findings(report), "\n".join(findings(report))


def test_every_nosec_names_its_tests_and_gives_a_reason():
    bad = [
        f"{path.relative_to(BASE_DIR)}:{line}: {comment}"
        for path in _scanned_files()
        for line, comment in unjustified_nosec(path.read_text(encoding="utf-8"))
    ]
    assert not bad, "write `# nosec B123 # why this is safe`:\n" + "\n".join(bad)


def test_bandit_and_the_nosec_check_catch_what_they_must(tmp_path):
    (tmp_path / "bad.py").write_text(
        "import hashlib\nimport subprocess\n\n"
        "def digest(data):\n    return hashlib.md5(data).hexdigest()\n\n"
        "def run(command):\n    return subprocess.call(command, shell=True)  # nosec\n\n"
        "def run_quiet(command):\n    return subprocess.call(command, shell=True)  # nosec B602\n",
        encoding="utf-8",
    )
    report = bandit("-r", str(tmp_path), "--severity-level", "low", "--confidence-level", "low")
    assert {r["test_id"] for r in report["results"]} >= {"B324", "B404"}
    source = (tmp_path / "bad.py").read_text(encoding="utf-8")
    assert [line for line, _ in unjustified_nosec(source)] == [8, 11]
    assert unjustified_nosec("x = 1  # nosec B105, B106 # a form's error-message key\n") == []
    assert unjustified_nosec("x = 1  # nosec B105 # short\n") == [(1, "# nosec B105 # short")]
