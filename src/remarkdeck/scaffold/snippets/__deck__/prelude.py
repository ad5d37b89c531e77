# Runs before every snippet of this deck (and its imports are paid once per test session).
import numpy as np
