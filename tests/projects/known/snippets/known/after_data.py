# requires: uses_data
# known-failure: requires uses_data, which fails: X_train is defined off-slide (NameError)
print(X_train.mean())
