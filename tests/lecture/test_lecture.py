"""What the intro-ml lecture teaches, checked on the snippets its slides show.

Each snippet runs with the deck prelude and the snippets it requires (see the
``# requires:`` header); ``snippet_namespace`` returns its globals and
``snippet_output`` what it printed (both fixtures come from the remarkdeck
pytest plugin).
"""

import os

import numpy as np
import pytest

DECK = "intro-ml"

# Keras 3.15 saving weights (ModelCheckpoint) with numpy 2 warns from inside Keras, not our code.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"
)


@pytest.fixture
def run(snippet_namespace):
    """The namespace left by a snippet of this deck."""
    return lambda name: snippet_namespace(DECK, name)


def n_weights(layer):
    return sum(int(np.prod(w.shape)) for w in layer.trainable_weights)


# --- Foreword: Python imports -------------------------------------------------


def test_prelude_defines_the_aliases_used_on_the_slides(run):
    ns = run("prelude")
    import keras

    # tf.keras is Keras 3 (the lecture's code is written for it)
    assert ns["tfk"].__version__.split(".")[0] == "3"
    assert ns["tfk"].Sequential is keras.Sequential
    assert ns["tfkl"].Dense is keras.layers.Dense


# --- Multi-layer perceptron ---------------------------------------------------


def test_mlp_has_41_free_parameters(run):
    model = run("mlp")["model"]
    assert model.input_shape == (None, 3)
    assert model.output_shape == (None, 1)
    # W (3, 4) + b (4) = 16, W (4, 4) + b (4) = 20, W (4, 1) + b (1) = 5
    assert [n_weights(layer) for layer in model.layers] == [16, 20, 5]
    assert sum(n_weights(layer) for layer in model.layers) == 41
    assert model.count_params() == 41


def test_mlp_summary_prints_the_parameter_count(run, snippet_output):
    out = snippet_output(DECK, "mlp_summary")
    assert "Total params: 41" in out
    assert "Trainable params: 41" in out
    assert "Non-trainable params: 0" in out
    rows = [line for line in out.splitlines() if "(Dense)" in line]
    assert [row.split()[-2] for row in rows] == ["16", "20", "5"]


def test_mlp_summary_output_fits_a_slide(snippet_output):
    out = snippet_output(DECK, "mlp_summary")
    assert "\x1b[" not in out  # plain text, no terminal colours
    assert max(len(line) for line in out.splitlines()) <= 60


def test_mlp_summary_shows_the_same_model_as_the_mlp_slide(run):
    shown = run("mlp_summary")["model"]
    built = run("mlp")["model"]
    assert [layer.units for layer in shown.layers] == [layer.units for layer in built.layers]
    assert shown.count_params() == built.count_params() == 41


# --- Activation layer ---------------------------------------------------------


def test_both_activation_syntaxes_give_the_same_output_shape(run):
    as_property = run("activation_property")["model_sigmoid"]
    as_layer = run("activation_layer")["model_tanh"]
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y_property = np.asarray(as_property(x))
    y_layer = np.asarray(as_layer(x))
    assert y_property.shape == y_layer.shape == (8, 4)
    assert np.all((y_property > 0) & (y_property < 1))  # sigmoid
    assert np.all((y_layer > -1) & (y_layer < 1))  # tanh


def test_activation_layer_adds_no_depth(run):
    as_property = run("activation_property")["model_sigmoid"]
    as_layer = run("activation_layer")["model_tanh"]
    activation = as_layer.layers[-1]
    assert type(activation).__name__ == "Activation"
    assert not activation.weights
    assert as_layer.count_params() == as_property.count_params() == 16


# --- Loss and optimizer -------------------------------------------------------


def test_compile_with_strings_gives_mse_and_adam(run):
    ns = run("compile_simple")
    model, tfk = ns["model"], ns["tfk"]
    assert model.loss == "mse"
    assert isinstance(model.optimizer, tfk.optimizers.Adam)


def test_compile_with_classes_decays_the_learning_rate(run):
    ns = run("compile_adam")
    model, tfk = ns["model"], ns["tfk"]
    assert model.loss == "mse"
    assert isinstance(model.optimizer, tfk.optimizers.Adam)
    # the optimizer starts at 0.01 ...
    assert int(model.optimizer.iterations) == 0
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    # ... and follows lr = 0.01 / (1 + 0.1 * step)
    schedule = tfk.optimizers.schedules.deserialize(model.optimizer.get_config()["learning_rate"])
    assert isinstance(schedule, tfk.optimizers.schedules.InverseTimeDecay)
    assert float(schedule(0)) == pytest.approx(0.01)
    assert float(schedule(10)) == pytest.approx(0.005)


# --- Training -----------------------------------------------------------------


def assert_one_loss_per_epoch(history):
    epochs = history.params["epochs"]
    assert len(history.history["loss"]) == epochs
    assert len(history.history["val_loss"]) == epochs


def test_fit_records_loss_and_val_loss_each_epoch(run):
    history = run("fit")["model"].history  # the History of the last fit
    assert history.params["epochs"] == 10
    assert_one_loss_per_epoch(history)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_training_loss_decreases_and_validation_follows(run):
    history = run("training_loss")["history"]
    assert_one_loss_per_epoch(history)
    loss, val_loss = history.history["loss"], history.history["val_loss"]
    assert loss[-1] < loss[0] / 5
    assert val_loss[-1] < val_loss[0] / 5
    # a good training: loss and val_loss end close to each other
    assert val_loss[-1] == pytest.approx(loss[-1], rel=0.3)


def test_validation_split_keeps_30_percent_of_the_data_aside(run):
    ns = run("training_loss")
    n_train = len(ns["X_train"])
    steps = ns["history"].params["steps"]  # batches of 32 per epoch
    assert steps == int(np.ceil(np.ceil(0.7 * n_train) / 32))


# --- Callbacks ----------------------------------------------------------------


def checkpoint_path(ns):
    return os.path.join(ns["__snippet_cwd__"], "best.weights.h5")


def test_early_stopping_stops_before_the_last_epoch(run):
    ns = run("callbacks")
    history, early = ns["history"], ns["early"]
    epochs_run = len(history.history["loss"])
    assert epochs_run < history.params["epochs"]
    assert early.stopped_epoch == epochs_run - 1
    # it stopped because val_loss did not improve for 5 epochs
    val_loss = history.history["val_loss"]
    assert int(np.argmin(val_loss)) == epochs_run - 1 - 5


def test_checkpoint_saves_the_weights_of_the_best_epoch(run):
    ns = run("callbacks")
    model, X, y = ns["model"], ns["X_train"], ns["y_train"]
    path = checkpoint_path(ns)
    assert os.path.isfile(path)
    best = ns["tfk"].models.clone_model(model)
    best.load_weights(path)
    # validation_split=0.3 keeps the last 30% of the samples for val_loss
    n_val = len(X) - int(np.ceil(0.7 * len(X)))
    predicted = np.asarray(best(X[-n_val:].astype("float32")))[:, 0]
    val_loss = np.mean((predicted - y[-n_val:]) ** 2)
    assert val_loss == pytest.approx(min(ns["history"].history["val_loss"]), rel=1e-4)


def test_load_weights_restores_the_checkpoint(run):
    ns = run("load_weights")
    model = ns["model"]
    saved = ns["tfk"].models.clone_model(model)
    saved.load_weights(checkpoint_path(ns))
    for loaded, expected in zip(model.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(loaded, expected)


# --- Figures: the experiments behind them show what the slides say -----------


def test_activation_functions_figure_uses_keras_activations(run):
    ns = run("activations")
    names = [name for name, _ in ns["activations"]]
    assert {"sigmoid", "tanh", "relu", "softplus"} <= set(names)
    relu = ns["tfk"].activations.get("relu")
    assert np.asarray(relu(np.array([-1.0, 2.0], dtype="float32"))).tolist() == [0.0, 2.0]


def test_overfitting_has_a_sweet_spot(run):
    ns = run("overfitting")
    train_loss, val_loss, best = ns["train_loss"], ns["val_loss"], ns["best"]
    assert 0 < best < len(val_loss) - 1
    # training loss keeps decreasing after the sweet spot ...
    assert train_loss[-1] < train_loss[best]
    # ... while validation loss goes clearly up: overfitting
    assert val_loss[-1] > 2 * val_loss[best]


def test_learning_rates_behave_as_labelled(run):
    ns = run("learning_rates")
    losses = {label: ns["train"](rate) for label, rate, _ in ns["runs"]}
    assert len(losses["very high"]) < 51 and losses["very high"][-1] > 1e3  # diverges
    assert max(losses["high"][-20:]) > 1.5 * max(losses["good"][-20:])  # stuck higher
    assert losses["low"][-1] > 1.05 * losses["good"][-1]  # still not converged
    assert losses["good"][-1] < losses["good"][0] / 10


def test_classification_needs_a_nonlinear_boundary(run):
    linear = run("classif_linear")["accuracy"]
    nonlinear = run("classif_nonlinear")["accuracy"]
    assert 0.7 < linear < 0.95
    assert nonlinear >= 0.97
    assert nonlinear > linear


# --- The practical session: what the exercises' solutions achieve ------------


def test_practical_data_splits_the_two_moons_70_30(run):
    ns = run("tp_data")
    assert len(ns["X_fit"]) == 140 and len(ns["X_val"]) == 60
    assert ns["X_fit"].shape[1] == 2
    # every point once, in one of the two sets
    both = np.vstack([ns["X_fit"], ns["X_val"]])
    assert sorted(map(tuple, both)) == sorted(map(tuple, ns["X_moons"].astype("float32")))


def test_exercise_1_classifier_separates_the_two_moons(run, snippet_output):
    ns = run("tp_classifier")
    model = ns["make_classifier"]()
    assert model.input_shape == (None, 2) and model.output_shape == (None, 1)
    assert model.loss == "binary_crossentropy"
    assert ns["accuracy"] >= 0.95  # the linear boundary of the slides gets below 0.9
    assert snippet_output(DECK, "tp_classifier") == f"validation accuracy: {ns['accuracy']:.1%}\n"


def test_exercise_2_relu_beats_a_linear_network(snippet_output):
    printed = dict(line.split(": validation accuracy ") for line in snippet_output(DECK, "tp_activations").splitlines())
    accuracy = {name.strip(): float(value.rstrip("%")) / 100 for name, value in printed.items()}
    assert accuracy["relu"] >= 0.95
    assert accuracy["linear"] <= 0.93  # a straight boundary cannot follow the moons
    assert accuracy["relu"] - accuracy["linear"] >= 0.05


def test_exercise_3_early_stopping_stops_early_and_keeps_the_best_weights(run):
    ns = run("tp_early_stopping")
    history, early, model = ns["history"], ns["early"], ns["model"]
    epochs_run = len(history.history["loss"])
    assert epochs_run < history.params["epochs"] == 100
    assert early.stopped_epoch == epochs_run - 1
    val_loss = history.history["val_loss"]
    best = int(np.argmin(val_loss))
    assert best == epochs_run - 1 - early.patience
    # the model holds the weights of the best epoch, not of the last one
    assert model.evaluate(ns["X_val"], ns["y_val"], verbose=0)[0] == pytest.approx(val_loss[best], rel=1e-5)
    assert model.evaluate(ns["X_val"], ns["y_val"], verbose=0)[1] >= 0.95
