"""The imports a deck's slides assume: found by alias or as one library's public name, checked by
running them, written first in the deck's prelude."""

from __future__ import annotations

from remarkdeck.importer.assumed import PRELUDE_HEADER, assumed_imports, read_table, with_assumed_imports
from remarkdeck.importer.names import read_needs


def test_the_table_has_aliases_and_libraries():
    aliases, libraries = read_table()
    assert aliases["np"] == "import numpy as np"
    assert aliases["plt"] == "import matplotlib.pyplot as plt"
    assert "sklearn" in libraries


def test_names_stand_for_an_alias_or_the_one_module_that_exports_them():
    found = assumed_imports({"np", "train_test_split", "StandardScaler", "X_train", "torch"}, {"sklearn"})
    assert found.lines == {"np": "import numpy as np",
                           "train_test_split": "from sklearn.model_selection import train_test_split",
                           "StandardScaler": "from sklearn.preprocessing import StandardScaler"}
    assert found.failed == {"torch": "import torch"}  # not installed here: not assumed


def test_tensorflow_aliases_of_keras_and_its_layers():
    found = assumed_imports({"tfk", "tfkl"}, {"tensorflow"})
    assert found.lines == {"tfk": "from tensorflow import keras as tfk",
                           "tfkl": "from tensorflow.keras import layers as tfkl"}


def test_code_that_needs_a_syntax_fix_is_read_through_it():
    """A missing comma (the fix upgrade makes) does not hide the names a snippet assumes."""
    needs = read_needs("model = tfk.Sequential()\nmodel.add(tfkl.Dense(1\n    activation='relu'))\n")
    assert needs.uses == ["tfk", "tfkl"]
    assert needs.syntax_error == "line 2: invalid syntax. Perhaps you forgot a comma?"


def test_a_library_the_deck_never_imports_is_searched_too():
    found = assumed_imports({"train_test_split", "Sequential"}, {"numpy"})
    assert found.lines == {"train_test_split": "from sklearn.model_selection import train_test_split",
                           "Sequential": "from keras.models import Sequential"}


def test_the_prelude_gets_one_block_first_and_keeps_the_rest():
    own = "SEED = 0\n"
    once = with_assumed_imports(own, {"np": "import numpy as np"})
    assert once == f"{PRELUDE_HEADER}\nimport numpy as np\n\nSEED = 0\n"
    twice = with_assumed_imports(once, {"np": "import numpy as np", "pd": "import pandas as pd"})
    assert twice == f"{PRELUDE_HEADER}\nimport numpy as np\nimport pandas as pd\n\nSEED = 0\n"
    assert with_assumed_imports(twice, {}) == own
