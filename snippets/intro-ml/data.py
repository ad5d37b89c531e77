# region setup
# Hidden setup, never shown on a slide: the X_train, y_train the slides train on.
# A small synthetic regression problem for the 3-input MLP: 1000 samples of
# 3 features and 1 noisy target (mostly linear, with a mild non-linearity).
import numpy as np

rng = np.random.default_rng(42)
X_train = rng.uniform(-1, 1, size=(1000, 3))
y_train = (1.5 * X_train[:, 0] - 2.0 * X_train[:, 1] + 0.5 * X_train[:, 2]
           + 0.5 * X_train[:, 0] ** 2
           + rng.normal(0, 0.3, size=1000))
# endregion
