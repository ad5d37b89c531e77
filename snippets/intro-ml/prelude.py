import tensorflow as tf

tfk = tf.keras
tfkl = tf.keras.layers
