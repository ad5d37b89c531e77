# region setup
rng = np.random.default_rng(0)
x = np.linspace(0, 10, 50)
y = 2.0 * x + 1.0 + rng.normal(scale=1.5, size=x.size)
# endregion
# region fit
slope, intercept = np.polyfit(x, y, deg=1)
print(f"slope {slope:.2f}, intercept {intercept:.2f}")
# endregion
