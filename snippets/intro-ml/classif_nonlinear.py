# requires: classif_data
# Figure: the two-moons data with the decision boundary of a small neural
# network (2 hidden layers of 16 ReLU units) trained with Keras.
classifier = tfk.Sequential([
    tfk.Input(shape=(2,)),
    tfkl.Dense(16, activation="relu"),
    tfkl.Dense(16, activation="relu"),
    tfkl.Dense(1, activation="sigmoid"),
])
classifier.compile(optimizer=tfk.optimizers.Adam(learning_rate=0.02),
                   loss="binary_crossentropy")
# a tf.data pipeline (shuffled batches of 32) trains faster than numpy arrays
batches = (tf.data.Dataset.from_tensor_slices((X_moons, y_moons))
           .shuffle(len(y_moons), seed=0).batch(32))
classifier.fit(batches, epochs=40, shuffle=False, verbose=0)  # already shuffled
predicted = np.asarray(classifier(X_moons.astype("float32")))[:, 0] > 0.5
accuracy = np.mean(predicted == y_moons)

# shade the regions predicted as each class, on a fine grid
x1, x2 = np.meshgrid(np.linspace(*ax.get_xlim(), 300), np.linspace(*ax.get_ylim(), 300))
grid = np.column_stack([x1.ravel(), x2.ravel()]).astype("float32")
proba = np.asarray(classifier(grid)).reshape(x1.shape)
ax.contourf(x1, x2, proba, levels=[0, 0.5, 1], colors=class_colours, alpha=0.15)
ax.contour(x1, x2, proba, levels=[0.5], colors="k", linewidths=2)
ax.plot([], [], "k", lw=2, label=f"neural network\nboundary\naccuracy {accuracy:.1%}")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=13, frameon=False)
