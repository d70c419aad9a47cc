print("world tour")
