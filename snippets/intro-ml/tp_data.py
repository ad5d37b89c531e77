# requires: classif_data

# the two moons, shuffled: 70% to fit the models, 30% to validate them
order = np.random.default_rng(0).permutation(len(X_moons))
X, y = X_moons[order].astype("float32"), y_moons[order]
X_fit, y_fit = X[:140], y[:140]
X_val, y_val = X[140:], y[140:]
