# known-failure: X_train is defined off-slide (NameError)
print(X_train.shape)
