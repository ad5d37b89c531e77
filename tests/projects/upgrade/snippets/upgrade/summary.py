# expects: summary_output
import keras

model = keras.Sequential()
model.add(keras.layers.Dense(4, input_dim=3))
model.add(keras.layers.Dense(1))
model.summary()
