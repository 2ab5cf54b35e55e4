print("unity")
