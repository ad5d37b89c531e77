print("hello, paper")
