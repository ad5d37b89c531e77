# requires: compile_simple, data

# Save the weights of the model with the lowest val_loss
chkpt = tfk.callbacks.ModelCheckpoint('best.weights.h5', save_best_only=True,
                                      save_weights_only=True)
# Stop the training if val_loss has not improved for 5 epochs
early = tfk.callbacks.EarlyStopping(patience=5)

history = model.fit(X_train, y_train, epochs=200, validation_split=0.3,
                    callbacks=[chkpt, early], verbose=0)
