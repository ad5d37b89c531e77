# requires: fit
# Exercise: the residuals are the vertical gaps between the points and the line.
# Compute them all, as an array `residuals` as long as `y`.
# region solution
residuals = y - (slope * x + intercept)
# endregion
print(f"{residuals.size} residuals, largest gap {np.abs(residuals).max():.2f}")
