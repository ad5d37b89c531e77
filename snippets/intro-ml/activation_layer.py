model = tfk.Sequential()
model.add(tfk.Input(shape=(3,)))
model.add(tfkl.Dense(4))
model.add(tfkl.Activation('tanh'))
