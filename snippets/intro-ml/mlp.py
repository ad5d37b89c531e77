# initialize model
model = tfk.Sequential()

# add layers
model.add(tfk.Input(shape=(3,)))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(1))
