import keras

optimizer = keras.optimizers.SGD(lr=0.1)
print(type(optimizer).__name__)
