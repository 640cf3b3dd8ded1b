print("cisignal")
