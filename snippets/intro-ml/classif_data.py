# Figure for the classification slides: a 2-D dataset with two classes
# ("two moons", 200 noisy points), drawn as a scatter plot. classif_linear and
# classif_nonlinear require this snippet and draw their decision boundary on
# the same axes (`ax`).
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(3)
n = 100  # points per class
angle = rng.uniform(0, np.pi, size=n)
upper = np.column_stack([np.cos(angle), np.sin(angle)])
angle = rng.uniform(0, np.pi, size=n)
lower = np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)])
X_moons = np.vstack([upper, lower]) + rng.normal(0, 0.15, size=(2 * n, 2))
y_moons = np.repeat([0, 1], n)

# region setup
# The scatter plot the slides show (hidden in the notebook: only the data matters there).
class_colours = ["tab:blue", "tab:orange"]
fig, ax = plt.subplots(figsize=(8, 4))
for label, colour in enumerate(class_colours):
    points = X_moons[y_moons == label]
    ax.scatter(points[:, 0], points[:, 1], s=30, color=colour, edgecolor="white",
               linewidth=0.5, label=f"class {label}", zorder=3)
ax.set_xlim(-1.6, 2.6)
ax.set_ylim(-1.1, 1.6)
ax.set_aspect("equal")
ax.set_xlabel("$x_1$", fontsize=15)
ax.set_ylabel("$x_2$", fontsize=15)
ax.tick_params(labelsize=13)
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=13, frameon=False)
# fixed margins (room for the legend on the right), the same for the 3 figures
fig.subplots_adjust(left=0.1, right=0.72, bottom=0.14, top=0.97)
# endregion
