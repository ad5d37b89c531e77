model = tfk.Sequential()
model.add(tfk.Input(shape=(3,)))
model.add(tfkl.Dense(4, activation='sigmoid'))
