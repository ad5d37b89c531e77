# requires: tp_classifier

tfk.utils.set_random_seed(0)
model = make_classifier()
# region solution
early = tfk.callbacks.EarlyStopping(monitor="val_loss", patience=5,
                                    restore_best_weights=True)
history = model.fit(X_fit, y_fit, epochs=100, batch_size=32, verbose=0,
                    validation_data=(X_val, y_val), callbacks=[early])
# endregion
print(f"stopped after {len(history.history['loss'])} of 100 epochs")
loss, accuracy = model.evaluate(X_val, y_val, verbose=0)
print(f"validation accuracy: {accuracy:.1%}")
