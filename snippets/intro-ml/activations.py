# Figure for the "Activation functions" slide: the usual activations, computed
# by Keras itself (tfk.activations) on a grid of x values.
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-4, 4, 401).astype("float32")
activations = [  # (Keras name, formula)
    ("linear", r"$x$"),
    ("sigmoid", r"$1/(1+e^{-x})$"),
    ("tanh", r"$\tanh(x)$"),
    ("softplus", r"$\log(1+e^{x})$"),
    ("relu", r"$\max(0, x)$"),
    ("leaky_relu", r"$\max(0.2x, x)$"),
    ("elu", r"$e^{x}-1$ for $x<0$"),
    ("gelu", r"$x\,\Phi(x)$"),
]

with plt.rc_context({"font.size": 13}):
    fig, axes = plt.subplots(2, 4, figsize=(9.5, 4.4), sharex=True, sharey=True)
    for ax, (name, formula) in zip(axes.flat, activations):
        y = np.asarray(tfk.activations.get(name)(x))
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.plot(x, y, color="tab:red", lw=2.5)
        ax.set_title(name, fontsize=15, fontfamily="monospace")
        ax.text(0.04, 0.95, formula, transform=ax.transAxes, va="top", fontsize=13)
        ax.set_xlim(-4, 4)
        ax.set_xticks([-3, 0, 3])
        ax.set_ylim(-2, 4)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("$x$")
    for ax in axes[:, 0]:
        ax.set_ylabel("$g(x)$")
    fig.tight_layout()
