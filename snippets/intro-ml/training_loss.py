# requires: compile_simple, data

import matplotlib.pyplot as plt

history = model.fit(X_train, y_train, epochs=20, validation_split=0.3,
                    verbose=0)  # quiet: we plot the history instead

# Visualizing the training
plt.plot(history.history['loss'], label='train')
plt.plot(history.history['val_loss'], label='validation')
plt.xlabel('epochs'); plt.ylabel('loss'); plt.legend()

# region setup
# Slide styling only: a wide figure with fonts readable on a slide.
fig, ax = plt.gcf(), plt.gca()
fig.set_size_inches(6.4, 3.6)
ax.tick_params(labelsize=13)
ax.xaxis.get_major_locator().set_params(integer=True)  # whole epochs
for line in ax.get_lines():
    line.set_linewidth(2.5)
ax.xaxis.label.set_size(15)
ax.yaxis.label.set_size(15)
ax.legend(fontsize=14)
ax.grid(alpha=0.3)
fig.tight_layout()
# endregion
