# requires: mlp

model.compile(optimizer='adam', loss='mse')
