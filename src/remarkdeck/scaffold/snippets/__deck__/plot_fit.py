# requires: fit
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(x, y, s=12, label="data")
ax.plot(x, slope * x + intercept, color="C3", label="least-squares line")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.legend()
fig.tight_layout()
