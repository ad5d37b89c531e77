model = tfk.Sequential()

model.add(tfk.Input(shape=(3,)))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(1))

# region summary
# print model structure
model.summary(line_length=48)
# endregion
