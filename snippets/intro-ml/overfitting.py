# Figure for the "What to expect" slide: a real (tiny) overfitting experiment.
# A flexible model (a degree-12 polynomial, 13 weights) is trained by plain
# gradient descent on only 25 noisy samples of a smooth curve. The training loss
# keeps decreasing, the loss on fresh validation samples goes through a minimum
# (the sweet spot) and rises again once the model starts fitting the noise.
import matplotlib.pyplot as plt
import numpy as np
from numpy.polynomial import legendre

rng = np.random.default_rng(1)

def truth(x):
    return np.sin(5 * x)

x_train = rng.uniform(-1, 1, 25)
y_train = truth(x_train) + rng.normal(0, 0.2, x_train.size)
x_val = rng.uniform(-1, 1, 1000)
y_val = truth(x_val) + rng.normal(0, 0.2, x_val.size)

degree = 12  # features: Legendre polynomials P0 ... P12 of x
A_train = legendre.legvander(x_train, degree)
A_val = legendre.legvander(x_val, degree)

w = np.zeros(degree + 1)
hessian = A_train.T @ A_train / x_train.size
learning_rate = 1 / np.linalg.eigvalsh(hessian).max()
train_loss, val_loss = [], []
for epoch in range(30000):
    residual = A_train @ w - y_train
    train_loss.append(np.mean(residual ** 2))
    val_loss.append(np.mean((A_val @ w - y_val) ** 2))
    w -= learning_rate * A_train.T @ residual / x_train.size  # gradient step

epochs = np.arange(1, len(train_loss) + 1)
best = int(np.argmin(val_loss))

with plt.rc_context({"font.size": 14}):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.axvspan(epochs[best], epochs[-1], color="tab:red", alpha=0.07, lw=0)
    ax.plot(epochs, train_loss, lw=2.5, label="training loss")
    ax.plot(epochs, val_loss, lw=2.5, label="validation loss")
    ax.axvline(epochs[best], color="0.3", ls="--", lw=1.5)
    ax.annotate("sweet spot", xy=(epochs[best], val_loss[best]),
                xytext=(epochs[best] * 2.5, val_loss[best] * 5),
                arrowprops=dict(arrowstyle="->", color="0.2", lw=1.5),
                fontsize=16, fontweight="bold", color="0.1")
    ax.text(0.02, 0.95, "underfitting", transform=ax.transAxes, va="top", color="0.35")
    ax.text(0.98, 0.95, "overfitting", transform=ax.transAxes, va="top", ha="right",
            color="tab:red")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(1, epochs[-1])
    ax.set_xlabel("epochs (log scale)")
    ax.set_ylabel("loss (MSE)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    ax.grid(alpha=0.3, which="major")
    fig.tight_layout()
