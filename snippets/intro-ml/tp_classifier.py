# requires: tp_data

def make_classifier(activation="relu"):
    """A compiled MLP: 2 inputs, 2 hidden layers of 16, 1 probability."""
    # region solution
    model = tfk.Sequential([
        tfk.Input(shape=(2,)),
        tfkl.Dense(16, activation=activation),
        tfkl.Dense(16, activation=activation),
        tfkl.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=tfk.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model
    # endregion

tfk.utils.set_random_seed(0)  # same weights, same result, every run
classifier = make_classifier()
classifier.fit(X_fit, y_fit, epochs=20, batch_size=32, verbose=0)
loss, accuracy = classifier.evaluate(X_val, y_val, verbose=0)
print(f"validation accuracy: {accuracy:.1%}")
