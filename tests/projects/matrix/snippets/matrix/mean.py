marks = np.array([12, 15, 9, 17])
print(f"mean {marks.mean():.2f}")
