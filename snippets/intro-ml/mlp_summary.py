# region setup
# Keras numbers the layers it names (dense, dense_1 ...) from the start of the session: start again,
# so that a notebook that built models before prints the names the slides show.
tfk.backend.clear_session()
# endregion
model = tfk.Sequential()

model.add(tfk.Input(shape=(3,)))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(4))
model.add(tfkl.Dense(1))

# region summary
# print model structure
model.summary(line_length=48)
# endregion
