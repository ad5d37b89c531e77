# np.float_ was removed in NumPy 2.0 (np.float64 is the same type)
x = np.float_(1.5)
print(type(x).__name__, x * 2)
