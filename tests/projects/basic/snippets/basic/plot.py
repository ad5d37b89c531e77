import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot([0, 1, 2, 3], [0, 1, 4, 9], marker="o")
ax.set_xlabel("x")
ax.set_ylabel("x squared")
fig.tight_layout()
