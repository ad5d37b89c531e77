# requires: ok
learning_rate = value / 0
