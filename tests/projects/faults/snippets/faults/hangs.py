# timeout: 2
while True:
    time.sleep(0.05)
