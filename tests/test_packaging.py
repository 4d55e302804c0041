"""The installed package works outside the repo: format files and rules travel in the wheel."""
import subprocess
import sys

from conftest import REPO, SEEDS


def test_installed_package_finds_its_data(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(REPO)], check=True, capture_output=True)
    assert (target / "gxaudit" / "formats_data" / "2021.yaml").is_file()
    assert (target / "gxaudit" / "rules_data" / "balance.yaml").is_file()
    # every subpackage of the source tree is in the wheel (pyproject lists them)
    for init in (REPO / "gxaudit").rglob("__init__.py"):
        assert (target / init.relative_to(REPO)).is_file(), f"{init.parent} is not packaged"
    code = ("import sys, json; from gxaudit.cli import main; "
            f"sys.exit(main(['audit', {str(SEEDS / '002_44a23edc808f0eac.txt')!r}, '--format', 'json', "
            "'--no-progress', '--jobs', '1']))")
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert '"GX-CON-001"' in result.stdout and str(target) in subprocess.run(
        [sys.executable, "-c", "import gxaudit; print(gxaudit.__file__)"], cwd=tmp_path, env=env,
        capture_output=True, text=True).stdout
