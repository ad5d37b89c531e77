model_tanh = tfk.Sequential()
model_tanh.add(tfk.Input(shape=(3,)))
model_tanh.add(tfkl.Dense(4))
model_tanh.add(tfkl.Activation('tanh'))
