# requires: mlp

# learning rate 0.01, divided by (1 + 0.1 * step) as training goes
lr = tfk.optimizers.schedules.InverseTimeDecay(
    0.01, decay_steps=1, decay_rate=0.1)

model.compile(optimizer=tfk.optimizers.Adam(learning_rate=lr),
              loss='mse')
