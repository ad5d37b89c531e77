# np.bool was removed in NumPy 1.24 and came back in NumPy 2.0: a known failure with the lock
flags = np.array([1, 0, 2]).astype(np.bool)
print(flags)
