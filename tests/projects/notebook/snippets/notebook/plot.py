import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 3))
ax.plot([0, 1], [0, 1])
