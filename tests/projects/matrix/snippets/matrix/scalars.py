# a list shows the repr of each element, which NumPy 2 changed (NEP 51)
marks = np.array([12.5, 15.0])
print(list(marks))
