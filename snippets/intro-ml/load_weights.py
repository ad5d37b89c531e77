# requires: callbacks

model.load_weights('best.weights.h5')  # instead of model.fit()
