# requires: compile_simple, data

model.fit(X_train, y_train,
          batch_size=32,
          epochs=10,
          validation_split=0.3,  # % of data being used for val_loss evaluation
          verbose=0)             # quiet: no progress bar
