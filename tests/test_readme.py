"""The README as a new user follows it: its commands name paths that exist, write only where
git ignores, and say what CI does (.ci/run runs the README's test command, exactly)."""
import glob
import re
import shlex

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def commands() -> list[list[str]]:
    """Every `python run_pipeline.py ...` line of the README's shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    return [shlex.split(line)[2:] for block in blocks for line in block.splitlines()
            if line.startswith("python run_pipeline.py ")]


def test_readme_commands_read_paths_that_exist_and_write_where_git_ignores():
    # Issue 16: the batch example read archive/, plans/ and @more.txt, which do not exist, and
    # left an untracked dataset/.
    ignored = [line.strip("/*") for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
               if line.startswith("/") and line.endswith("/*")]
    assert "output" in ignored
    found = commands()
    assert {c[0] for c in found} >= {"parse", "report", "batch", "diff", "history"}
    for command in found:
        words = [w for w in command[1:] if not w.isdigit()]
        out = words[words.index("--out") + 1] if "--out" in words else "output"
        assert out.split("/")[0] in ignored, command
        inputs = [w for w in words if not w.startswith("-") and w != out]
        for given in inputs:
            assert glob.glob(str(ROOT / given)) or given.startswith("output/"), (command, given)


def test_ci_runs_the_readme_test_command_last_and_installs_the_test_extra_once():
    test_command = re.search(r"Run the tests:\n\n```sh\n(.*)\n```", README).group(1)
    assert test_command == 'pip install -e ".[test]" && python -m pytest'
    lines = [line for line in CI.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert lines[-1] == test_command
    assert CI.count('".[test]"') == 1


def test_the_readme_says_what_ci_installs_and_how_long_it_fuzzes():
    # Issue 16: the README said CI fuzzes 25 s where .ci/run runs 3,000 runs or 60 s, and did
    # not name the CJK font the browser test's screenshots need.
    runs = re.search(r'-runs="\$\{FUZZ_RUNS:-(\d+)\}"', CI).group(1)
    seconds = re.search(r'-max_total_time="\$\{FUZZ_SECONDS:-(\d+)\}"', CI).group(1)
    assert f"CI runs for {int(runs):,} runs with a fixed seed, at most {seconds} s" in " ".join(README.split())
    for package in re.findall(r"need\+=\(([\w-]+)\)", CI):
        assert f"apt-get install {package}" in README, package
