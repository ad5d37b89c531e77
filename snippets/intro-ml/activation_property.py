model_sigmoid = tfk.Sequential()
model_sigmoid.add(tfk.Input(shape=(3,)))
model_sigmoid.add(tfkl.Dense(4, activation='sigmoid'))
