# Figure for the "Learning rate" slide: real mini-batch gradient descent runs
# (numpy, linear regression on 200 noisy samples, batches of 4) with the same
# data and the same initial weights, only the learning rate changes.
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 5))
y = X @ rng.normal(0, 2, size=5) + rng.normal(0, 1, size=200)

def train(learning_rate, epochs=50, batch_size=4):
    """Mini-batch SGD on the MSE; the loss on the whole set after each epoch."""
    batches = np.random.default_rng(1)
    w = np.zeros(X.shape[1])
    losses = [np.mean((X @ w - y) ** 2)]
    for epoch in range(epochs):
        order = batches.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            gradient = 2 * X[batch].T @ (X[batch] @ w - y[batch]) / len(batch)
            w -= learning_rate * gradient
        losses.append(np.mean((X @ w - y) ** 2))
        if losses[-1] > 1e3:  # diverged: no need to go on
            break
    return losses

runs = [  # (label, learning rate, colour)
    ("very high", 0.6, "tab:red"),
    ("high", 0.25, "tab:orange"),
    ("good", 0.005, "tab:green"),
    ("low", 0.0005, "tab:blue"),
]

with plt.rc_context({"font.size": 14}):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for label, learning_rate, colour in runs:
        losses = train(learning_rate)
        ax.plot(losses, color=colour, lw=2.5, label=f"{label} ({learning_rate:g})")
        if len(losses) < 51:  # stopped early: it diverged
            ax.annotate(f"{label}: diverges",
                        xy=(0.6, 15.2), xytext=(3, 15.2), va="center", color=colour,
                        arrowprops=dict(arrowstyle="->", color=colour, lw=1.5))
    ax.set_xlim(-0.5, 50)
    ax.set_ylim(0, 16)
    ax.set_xlabel("epochs")
    ax.set_ylabel("loss (MSE)")
    ax.legend(title="learning rate", loc="upper right")
    ax.grid(alpha=0.3)
    fig.tight_layout()
