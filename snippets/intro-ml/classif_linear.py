# requires: classif_data
# Figure: the two-moons data with the decision boundary of a linear classifier,
# a logistic regression fitted here with plain gradient descent (numpy).
A = np.column_stack([np.ones(len(X_moons)), X_moons])  # bias + 2 features
w = np.zeros(3)
for step in range(5000):
    p = 1 / (1 + np.exp(-A @ w))  # predicted probability of class 1
    w -= 0.5 * A.T @ (p - y_moons) / len(y_moons)  # gradient of the cross-entropy
accuracy = np.mean((A @ w > 0) == y_moons)

# shade each side of the boundary w0 + w1 x1 + w2 x2 = 0 with its class colour
x1, x2 = np.meshgrid(np.linspace(*ax.get_xlim(), 300), np.linspace(*ax.get_ylim(), 300))
score = w[0] + w[1] * x1 + w[2] * x2
ax.contourf(x1, x2, score, levels=[-np.inf, 0, np.inf], colors=class_colours, alpha=0.15)
ax.contour(x1, x2, score, levels=[0], colors="k", linewidths=2)
ax.plot([], [], "k", lw=2, label=f"linear boundary\naccuracy {accuracy:.1%}")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=13, frameon=False)
