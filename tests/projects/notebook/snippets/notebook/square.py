side = math.sqrt(16)
