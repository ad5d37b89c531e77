"""`remarkdeck upgrade`: every rule of the table rewrites its example into its `after`, and that code
runs where the rule's library is installed (while `before` fails with the error the rule names); the
command keeps the rewrites that make a snippet run, gives back the others with why, fixes the commas
Python asks for apart, refreshes pasted outputs, prints each change at its `path:line (slide N)`,
and with --dry-run writes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_project, remarkdeck_environment, run_pytest, run_remarkdeck, tree_digest

from remarkdeck.errors import ConfigError
from remarkdeck.snippets.execute import worker_environment
from remarkdeck.snippets.execute import RunResult
from remarkdeck.upgrade.rewrite import Context, add_imports, apply_rules
from remarkdeck.upgrade.rules import load_rules, load_table
from remarkdeck.upgrade.run import SYNTAX_RULE, blame, rewrite, unreached
from remarkdeck.upgrade.syntax_fix import add_missing_commas, fix_syntax

RULES = load_rules()
TABLES = sorted((Path(__file__).parent / "upgrade" / "tables").glob("*.toml"))


# -- the table --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_rewrites_its_example(rule):
    before, after = rule.before.lstrip("\n"), rule.after.lstrip("\n")
    assert apply_rules(before, [rule]).text == after
    assert apply_rules(after, [rule]).text == after, "a rewritten snippet is rewritten again"
    compile(after, rule.id, "exec")


@pytest.fixture(scope="session")
def example_runs():
    """Every rule's before and after, run in one process (one TensorFlow import)."""
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "upgrade_examples.py")],
                          env=dict(worker_environment(), PYTHONPATH=str(REPO / "src")),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_example_runs_after_and_fails_before(rule, example_runs):
    run = example_runs[rule.id]
    if "skipped" in run:
        pytest.skip(run["skipped"])
    raised = [line for line in run["after"].split("\n") if line and not line.startswith("warning: ")]
    assert not raised, f"{rule.id}: its after fails:\n{run['after']}"
    if rule.error:
        assert re.search(rule.error, run["before"]), f"{rule.id}: its before fails otherwise:\n{run['before']}"


@pytest.mark.parametrize("table", TABLES, ids=lambda path: path.stem)
def test_bad_rules_table_is_an_error_at_its_line(table):
    expected = table.read_text().split("\n")[0].removeprefix("# expect: ")
    with pytest.raises(ConfigError) as caught:
        load_table(table)
    assert f"{caught.value.location.line}: {caught.value.message}" == expected
    assert caught.value.location.path == table


# -- the rewriter -----------------------------------------------------------------------------------

REWRITES = [
    # (what runs before the snippet, the snippet, what it becomes)
    ("import tensorflow as tf\ntfk = tf.keras\n",
     "opt = tfk.optimizers.Adam(lr=0.01, decay=0.1)\n",
     "opt = tfk.optimizers.Adam(learning_rate=tfk.optimizers.schedules.InverseTimeDecay(0.01, 1, 0.1))\n"),
    ("", "import numpy as np\ns = 'np.float_'  # np.float_ in a comment\nx = np.float_(1)\n",
     "import numpy as np\ns = 'np.float_'  # np.float_ in a comment\nx = np.float64(1)\n"),
    ("", "from numpy import product\ny = product([1, 2])\n", "from numpy import prod\ny = prod([1, 2])\n"),
    ("", "import tensorflow.keras as K\nfrom tensorflow.keras.layers import Dense\nm = K.Sequential([\n"
         "    Dense(4, input_shape=(3,)),\n    Dense(1),\n])\n",
     "import tensorflow.keras as K\nfrom tensorflow.keras.layers import Dense\n"
     "m = K.Sequential([\n    K.layers.Input(shape=(3,)),\n    Dense(4),\n    Dense(1),\n])\n"),
    ("", "from keras.layers import Dense\nfrom keras.models import Sequential\nm = Sequential([Dense(4, input_dim=3)])\n",
     "from keras.layers import Dense\nfrom keras.models import Sequential\nfrom keras.layers import Input\n"
     "m = Sequential([Input(shape=(3,)), Dense(4)])\n"),
    ("", "import keras\nlayer = keras.layers.Conv2D(16, 3, 3,\n                           border_mode='same')\n",
     "import keras\nlayer = keras.layers.Conv2D(16, (3, 3),\n                           padding='same')\n"),
]


@pytest.mark.parametrize("earlier, snippet, expected", REWRITES)
def test_rules_read_names_through_imports_and_leave_strings(earlier, snippet, expected):
    assert apply_rules(snippet, RULES, Context([earlier])).text == expected


def test_a_name_other_snippets_use_keeps_its_binding():
    snippet = "from numpy import product\ny = product([1, 2])\n"
    result = apply_rules(snippet, RULES, Context([], {"product"}))
    assert result.text == "from numpy import prod as product\ny = product([1, 2])\n"


def test_sites_know_their_lines_before_and_after():
    snippet = "import keras\nm = keras.Sequential()\nm.add(keras.layers.Dense(2, input_dim=3))\nopt = keras.optimizers.SGD(lr=1)\n"
    sites = {(site.rule.id, site.origin, site.line, site.last) for site in apply_rules(snippet, RULES).sites}
    assert sites == {("keras-input-layer", 3, 3, 4), ("keras-optimizer-lr", 4, 5, 5)}


def test_a_skipped_site_is_left_as_it_was():
    snippet = "import keras\na = keras.optimizers.SGD(lr=1)\nb = keras.optimizers.SGD(lr=2)\n"
    result = apply_rules(snippet, RULES, skip={("keras-optimizer-lr", 2)})
    assert result.text == "import keras\na = keras.optimizers.SGD(lr=1)\nb = keras.optimizers.SGD(learning_rate=2)\n"


COMMAS = [
    ("model.add(Conv2D(16, (3, 3) strides=2))\n", "model.add(Conv2D(16, (3, 3), strides=2))\n", [1]),
    ("print('a' 'b' c)\n", "print('a' 'b', c)\n", [1]),
    ("y = foo(x\n  y)\n", "y = foo(x,\n  y)\n", [1]),
    ("z = (1 +\n 2 3)\n", "z = (1 +\n 2, 3)\n", [1]),
    ("a = [1 2 3]\n", "a = [1, 2, 3]\n", [1, 1]),
    ("é = f('é' x)\n", "é = f('é', x)\n", [1]),
    ("if x\n    pass\n", "if x\n    pass\n", []),  # another syntax error: left as it is
]


@pytest.mark.parametrize("text, fixed, lines", COMMAS)
def test_commas_python_asks_for(text, fixed, lines):
    assert add_missing_commas(text) == (fixed, lines)


INDENTED = [
    # a header at the margin, code indented as a whole (it sat in a list on the slide), a blank line
    ("# requires: data\n    x = 1\n\n    if x:\n        y = 2\n", "# requires: data\nx = 1\n\nif x:\n    y = 2\n", [2, 4, 5]),
    ("  a = f(1 2)\n", "a = f(1, 2)\n", [1, 1]),  # then the comma Python asks for
    ("x = 1\n    y = 2\n", "x = 1\n    y = 2\n", []),  # one line out of place: not a shared indentation
    ("\tx = 1\n    y = 2\n", "\tx = 1\n    y = 2\n", []),  # tabs and spaces: nothing shared
]


@pytest.mark.parametrize("text, fixed, lines", INDENTED)
def test_code_indented_as_a_whole_loses_its_shared_indentation(text, fixed, lines):
    assert fix_syntax(text) == (fixed, lines)
    if lines:
        compile(fixed, "<snippet>", "exec")


def test_imports_a_rewrite_needs_go_below_every_header_line():
    text = "# known-failure: old reason (AttributeError)\n# requires: data\nloss = K.mean(x)\n"
    assert add_imports(text, ["from keras import ops"])[0] == (
        "# known-failure: old reason (AttributeError)\n# requires: data\nfrom keras import ops\nloss = K.mean(x)\n")


GANS = "from keras import backend as K\nd_loss = K.mean(-K.log(Dx) - K.log(1 - DGz))\n"


@pytest.mark.parametrize("error, blamed", [
    # the rewrite got the snippet past K.mean, to a name it always lacked, or to the network: kept
    ("NameError: name 'Dx' is not defined", False),
    ("urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>", False),
    ("NameError: name 'ops' is not defined", True),  # a name the rewrite brought in: its fault
    ("ValueError: operands could not be broadcast together", True),  # at a line it changed: maybe its fault
])
def test_a_rewrite_is_blamed_for_what_it_may_cause_not_for_what_the_snippet_always_lacked(error, blamed, tmp_path):
    path = tmp_path / "gans.py"
    rewrite = apply_rules(GANS, [next(rule for rule in RULES if rule.id == "keras-backend-ops")])
    before = RunResult("gans", ok=False, error=f'  File "{path}", line 2, in <module>\n'
                                               "AttributeError: module 'keras.backend' has no attribute 'mean'")
    after = RunResult("gans", ok=False, error=f'  File "{path}", line 3, in <module>\n{error}')
    assert bool(blame(rewrite.sites, after, before, path, GANS)) == blamed


def test_a_syntax_fix_that_lets_the_snippet_reach_a_name_defined_off_slide_is_kept(tmp_path):
    path, original = tmp_path / "vgg.py", "    model.add(Dense(1))\n    model.summary()\n"
    fixed, sites = rewrite(original, [], Context(), set())
    assert fixed == "model.add(Dense(1))\nmodel.summary()\n" and [site.rule for site in sites] == [SYNTAX_RULE] * 2
    before = RunResult("vgg", ok=False, error="IndentationError: unexpected indent")
    after = RunResult("vgg", ok=False, error=f'  File "{path}", line 1, in <module>\n'
                                             "NameError: name 'model' is not defined")
    assert blame(sites, after, before, path, original) == []
    assert unreached(sites, after, path) == []  # the file compiled: every syntax fix was reached


# -- the command on a sample deck --------------------------------------------------------------------

HEADERS = [
    "snippets/upgrade/indexing.py:7 (slide 5)",
    "snippets/upgrade/optimizer.py:3 (slide 2)",
    "snippets/upgrade/summary.py:5 (slide 3)",
    "snippets/upgrade/summary_output.txt:1 (slide 3)",
    "snippets/upgrade/constant.py:3 (slide 5)",
    "snippets/upgrade/indexing.py:7 (slide 5)",
    "snippets/upgrade/commas.py:1 (slide 4)",
]


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The sample deck upgraded twice: once with --dry-run, once for real."""
    dry = copy_project("upgrade", tmp_path_factory.mktemp("dry"))
    real = copy_project("upgrade", tmp_path_factory.mktemp("real"))
    digest = tree_digest(dry)
    runs = {"dry": run_remarkdeck(dry, "upgrade", "--dry-run"), "real": run_remarkdeck(real, "upgrade", "upgrade")}
    for done in runs.values():
        assert done.code == 0, done.stderr
    return {"dry": dry, "real": real, "digest": digest, **{f"{k}_run": v for k, v in runs.items()}}


def test_dry_run_writes_nothing_and_says_what_the_run_does(upgraded):
    assert tree_digest(upgraded["dry"]) == upgraded["digest"]
    dry, real = upgraded["dry_run"].stdout, upgraded["real_run"].stdout
    assert dry.endswith("dry run: nothing was written\n")
    assert dry.replace("would change", "changed").removesuffix("dry run: nothing was written\n") == real


def test_every_change_is_a_diff_headed_by_path_line_and_slide(upgraded):
    out = upgraded["real_run"].stdout
    assert re.findall(r"^snippets/\S+:\d+ \(.*\)$", out, re.MULTILINE) == HEADERS
    assert [line for line in out.split("\n") if line.startswith("== ")] == [
        "== Rewritten (the snippet then runs, or no longer fails with the error the rule addresses) ==",
        "== Pasted outputs replaced by what the code prints now ==",
        "== Tried and given back ==",
        "== Syntax fixed as Python suggests: check these ==",
    ]
    assert "-optimizer = keras.optimizers.SGD(lr=0.1)\n+optimizer = keras.optimizers.SGD(learning_rate=0.1)" in out


def test_a_rewrite_that_does_not_fix_its_error_is_given_back_with_why(upgraded):
    out = upgraded["real_run"].stdout
    assert "  math-tau (never): `math.tau2` was a typo for `math.tau3`\n" \
           "  line 3 then fails: AttributeError: module 'math' has no attribute 'tau3'\n" in out
    assert "  line 7 then fails: AttributeError: 'Frame' object has no attribute 'loc'\n" in out
    snippets = upgraded["real"] / "snippets" / "upgrade"
    assert (snippets / "constant.py").read_text() == (
        "# known-failure: module 'math' has no attribute 'tau2' (AttributeError)\nimport math\n\nprint(math.tau2 / 2)\n")
    assert (snippets / "indexing.py").read_text().endswith("print(Frame().iloc[0])\n")


def test_kept_rewrites_and_commas_are_written(upgraded):
    snippets = upgraded["real"] / "snippets" / "upgrade"
    assert "keras.optimizers.SGD(learning_rate=0.1)" in (snippets / "optimizer.py").read_text()
    assert (snippets / "commas.py").read_text() == "sizes = [1, 2, 3]\nprint(sum(sizes))\n"
    assert (snippets / "fine.py").read_text() == 'print("nothing to upgrade")\n'


def test_a_pasted_keras_2_summary_becomes_what_keras_3_prints(upgraded):
    pasted = (upgraded["real"] / "snippets" / "upgrade" / "summary_output.txt").read_text()
    assert pasted.startswith('Model: "sequential"\n')
    assert " Total params: 21 (84.00 B)\n" in pasted and "dense_1 (Dense)" in pasted


def test_the_summary_counts_what_runs_and_names_what_still_fails(upgraded):
    assert upgraded["real_run"].stdout.endswith(
        "upgrade: 5 of 6 snippets run now (1 before their upgrade); changed 5 file(s)\n"
        "  snippets run: 5 pass, 1 fail, each now marked '# known-failure: REASON' in its file (pytest expects it "
        "to fail, and fails the day it passes):\n"
        "    module 'math' has no attribute 'tau2' (AttributeError): 1 (constant)\n")


def test_the_upgraded_deck_passes_its_tests_the_failure_left_known(upgraded):
    done = run_pytest(upgraded["real"], "-q", "-rx", "snippets")
    assert done.returncode == 0
    assert "5 passed, 1 xfailed" in done.stdout, done.stdout[-3000:]
    assert "XFAIL snippets/upgrade/constant.py::constant - module 'math' has no attribute 'tau2'" in done.stdout


def test_unknown_deck_is_an_error():
    done = subprocess.run([sys.executable, "-m", "remarkdeck", "upgrade", "nosuch", "--dry-run"],
                          cwd=REPO / "tests" / "projects" / "upgrade", env=remarkdeck_environment(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "slides: no deck named 'nosuch': expected slides/nosuch.md (decks here: upgrade)\n"
